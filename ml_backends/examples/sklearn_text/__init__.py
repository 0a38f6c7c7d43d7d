"""Example ML backend: a TF-IDF + logistic regression text classifier, pure Python.

    python -m ml_backends.examples.sklearn_text --port 9090 [--basic-auth user:pass] [--fit-on-events]

It speaks the Label Studio ML backend protocol (/health, /setup, /predict, /webhook, /train,
/versions), learns from the completions it receives, and predicts with a low score until it has
been trained on at least two labels. See docs/ml-backends.md.
"""
