"""Sends one job to the worker over AMQP 1.0 and prints the worker's reply.

    apt-get install python3-qpid-proton        # Debian's package of Apache Qpid Proton
    python3 examples/clients/python/enqueue.py [CORRELATION_ID]

The broker and user come from WORKER_ARTEMIS_HOST, WORKER_ARTEMIS_PORT, WORKER_CLIENT_USER and
WORKER_CLIENT_PASSWORD (defaults: the broker liberty/artemis.sh makes, user submitter).
"""
import json
import os
import sys
import uuid

from proton import Message
from proton.reactor import Selector
from proton.utils import BlockingConnection

host = os.environ.get("WORKER_ARTEMIS_HOST", "127.0.0.1")
port = os.environ.get("WORKER_ARTEMIS_PORT", "61616")
correlation_id = sys.argv[1] if len(sys.argv) > 1 else str(uuid.uuid4())

connection = BlockingConnection(f"amqp://{host}:{port}", user=os.environ.get("WORKER_CLIENT_USER", "submitter"),
                                password=os.environ.get("WORKER_CLIENT_PASSWORD", "submitter-change-me"))
# Take only this job's reply: other producers' replies stay on the queue for them.
replies = connection.create_receiver("worker.replies", options=Selector(f"JMSCorrelationID = '{correlation_id}'"))
job = {"type": "echo", "payload": {"hello": "world"}}
# A str body arrives as a JMS text message, as the worker wants it (bytes would be refused).
connection.create_sender("worker.jobs").send(
    Message(body=json.dumps(job), correlation_id=correlation_id, reply_to="worker.replies"))
reply = replies.receive(timeout=30)
replies.accept()
print(reply.body)  # {"jobId": "...", "state": "SUCCEEDED", "result": {"hello": "world"}, ...}
connection.close()
