"""Data export: tasks with their completions and predictions, streamed into the formats ML code reads.

``rows`` reads (keyset batches), ``registry`` + one module per format family write (``json_formats``,
``json_min``, ``tabular``, ``conll``, ``coco``, ``voc``, ``yolo``, ``asr``, ``masks``), ``sinks`` holds
the plain-file and zip outputs, ``services`` runs export jobs, ``schedules`` runs them by themselves.
Design and format notes: docs/export.md.
"""
