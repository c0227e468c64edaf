"""Sources: one kind of evidence each, a file reader and (where a service exists) a fetcher."""
