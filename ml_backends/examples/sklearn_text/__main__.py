"""``python -m ml_backends.examples.sklearn_text --port 9090``"""

import argparse
import logging

from .server import serve

parser = argparse.ArgumentParser(description="TF-IDF + logistic regression ML backend (Label Studio protocol)")
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=9090)
parser.add_argument("--basic-auth", metavar="USER:PASS", help="require HTTP Basic auth")
parser.add_argument("--fit-on-events", action="store_true", help="refit on every ANNOTATION_CREATED/UPDATED event")
parser.add_argument("--log-level", default="WARNING")
args = parser.parse_args()
logging.basicConfig(level=args.log_level)
serve(args.host, args.port, basic_auth=args.basic_auth, fit_on_events=args.fit_on_events)
