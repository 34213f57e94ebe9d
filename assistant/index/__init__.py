"""Index: embedders, the Chroma store and the lexical index."""
