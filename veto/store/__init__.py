"""The store: where the data lives, the engine, transactions and migrations."""
