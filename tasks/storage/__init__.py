"""S3-compatible source storage: a bucket a project imports from (tasks.models.S3ImportStorage).

``s3`` talks to the bucket (boto3), ``services`` holds the writes (create, update, validate, sync ->
an import job), ``source`` turns a sync into the import pipeline's documents, ``resolve`` turns
``s3://`` task data into URLs a browser can load. API: ``api`` (``/api/storages/s3/``).
"""
