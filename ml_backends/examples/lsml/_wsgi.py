"""Start the example with label-studio-ml's standard server (``init_app``), as its ``_wsgi.py`` does.

.venv-mlbackend/bin/python ml_backends/examples/lsml/_wsgi.py --port 9091 --model-dir /tmp/m
"""

import argparse
import logging
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from label_studio_ml.api import init_app  # noqa: E402
from model import LastLabelModel  # noqa: E402

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="label-studio-ml example backend")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9091)
    parser.add_argument("--model-dir", default=os.path.join(os.path.dirname(__file__), "model_dir"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    os.makedirs(args.model_dir, exist_ok=True)
    app = init_app(model_class=LastLabelModel, model_dir=args.model_dir)
    app.run(host=args.host, port=args.port, threaded=True)
