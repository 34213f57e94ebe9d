"""Officials' feedback on answers, their corrections and the curated Q&A pairs approved from them.

`model` holds the records and the `FeedbackStore` seam; `sqlite` the local store in the data directory;
`export` the CSV/XLSX tables. Importing this package does no work.
"""
