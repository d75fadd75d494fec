#!/usr/bin/env python3
"""A second surveystream client, in Python: SubmitSurvey and StreamSurveys over TLS with a device token.

Stubs are generated at test time (never committed) into a directory given with --stubs:
    python3 -m grpc_tools.protoc -I proto --python_out=DIR --grpc_python_out=DIR proto/surveystream/v1/*.proto
(when the installed grpc_tools protoc is too old for proto3 `optional`, the messages are generated
with the system protoc and the service methods are bound from the channel, which is all the
generated *_pb2_grpc module would do).

Reads surveys as proto3 JSON (one object per line) and prints a JSON summary on stdout.
"""
import argparse
import json
import sys


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--stubs", required=True, help="directory with the generated *_pb2 modules")
    p.add_argument("--target", required=True, help="host:port of the gateway")
    p.add_argument("--ca", required=True, help="CA certificate (PEM) that signed the gateway's certificate")
    p.add_argument("--cert", help="client certificate (PEM) for mTLS")
    p.add_argument("--key", help="client key (PEM) for mTLS")
    p.add_argument("--token", required=True, help="device token")
    p.add_argument("--surveys", required=True, help="NDJSON file of surveys in proto3 JSON form")
    return p.parse_args()


class IngestStub:
    """IngestService methods bound on a channel (what ingest_pb2_grpc.IngestServiceStub provides)."""

    def __init__(self, channel, ingest_pb2):
        base = "/surveystream.v1.IngestService/"
        self.SubmitSurvey = channel.unary_unary(
            base + "SubmitSurvey",
            request_serializer=ingest_pb2.SubmitSurveyRequest.SerializeToString,
            response_deserializer=ingest_pb2.SubmitSurveyResponse.FromString,
        )
        self.StreamSurveys = channel.stream_stream(
            base + "StreamSurveys",
            request_serializer=ingest_pb2.StreamSurveysRequest.SerializeToString,
            response_deserializer=ingest_pb2.StreamSurveysResponse.FromString,
        )


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    args = parse_args()
    sys.path.insert(0, args.stubs)
    import grpc
    from google.protobuf import json_format
    from surveystream.v1 import ingest_pb2, survey_pb2

    try:
        from surveystream.v1 import ingest_pb2_grpc

        stub_of = ingest_pb2_grpc.IngestServiceStub
    except ImportError:
        stub_of = lambda ch: IngestStub(ch, ingest_pb2)  # noqa: E731

    surveys = []
    with open(args.surveys, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                surveys.append(json_format.ParseDict(json.loads(line), survey_pb2.Survey()))

    creds = grpc.ssl_channel_credentials(
        root_certificates=read(args.ca),
        private_key=read(args.key) if args.key else None,
        certificate_chain=read(args.cert) if args.cert else None,
    )
    auth = [("authorization", "Bearer " + args.token)]
    status_name = ingest_pb2.SubmitStatus.Name
    out = {}
    with grpc.secure_channel(args.target, creds) as channel:
        stub = stub_of(channel)
        first = stub.SubmitSurvey(ingest_pb2.SubmitSurveyRequest(survey=surveys[0]), metadata=auth, timeout=10)
        again = stub.SubmitSurvey(ingest_pb2.SubmitSurveyRequest(survey=surveys[0]), metadata=auth, timeout=10)
        out["submit"] = status_name(first.status)
        out["resubmit"] = status_name(again.status)
        out["same_sequence"] = first.stream_sequence == again.stream_sequence

        requests = (ingest_pb2.StreamSurveysRequest(survey=s) for s in surveys[1:])
        counts = {}
        acked = set()
        for ack in stub.StreamSurveys(requests, metadata=auth, timeout=60):
            counts[status_name(ack.status)] = counts.get(status_name(ack.status), 0) + 1
            acked.add(ack.submission_id)
        out["streamed"] = len(surveys) - 1
        out["acks"] = counts
        out["all_acked"] = acked == {s.submission_id for s in surveys[1:]}

        try:
            stub.SubmitSurvey(ingest_pb2.SubmitSurveyRequest(survey=surveys[0]), metadata=[("authorization", "Bearer wrong")], timeout=10)
            out["wrong_token"] = "accepted"
        except grpc.RpcError as err:
            out["wrong_token"] = err.code().name
    print(json.dumps(out))


if __name__ == "__main__":
    main()
