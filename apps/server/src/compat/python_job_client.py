"""Drives a Jobs server the way existing Python job clients (Ray's JobSubmissionClient and
openYuanrong's) do, with the standard library only: trailing slashes on the collection, every
optional submit field sent as null, `job_id` as the legacy id field, and bare JSON booleans from
stop and delete.

Usage: python3 python_job_client.py <base_url>. Exits 0 and prints "all checks passed", or exits
1 naming the first check that failed.
"""

import json
import sys
import time
import urllib.error
import urllib.request

BASE_URL = sys.argv[1].rstrip("/")
HEADERS = {"Content-Type": "application/json"}
JOB_DETAILS_KEYS = {
    "type", "submission_id", "entrypoint", "driver_info", "status", "message", "start_time",
    "end_time", "metadata", "runtime_env", "driver_agent_http_address", "driver_node_id",
    "driver_exit_code", "error_type",
}
TERMINAL = {"SUCCEEDED", "FAILED", "STOPPED"}


class CheckFailed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise CheckFailed(what)
    print("ok:", what, flush=True)


def request(method, path, body=None):
    """Returns (status, decoded JSON body), error statuses included."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(BASE_URL + path, data=data, method=method, headers=HEADERS)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, json.loads(res.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode("utf-8"))


def submit_request(entrypoint, submission_id=None, runtime_env=None, metadata=None):
    # Like a dataclass turned into a dict: every field present, the unset ones null.
    return {
        "entrypoint": entrypoint,
        "job_id": None,
        "submission_id": submission_id,
        "runtime_env": runtime_env,
        "metadata": metadata,
        "entrypoint_num_cpus": None,
        "entrypoint_num_gpus": None,
        "entrypoint_memory": None,
        "entrypoint_resources": None,
    }


def wait_until(submission_id, statuses, timeout_s=60.0):
    deadline = time.monotonic() + timeout_s
    while True:
        status, job = request("GET", f"/api/jobs/{submission_id}")
        if status == 200 and job["status"] in statuses:
            return job
        if time.monotonic() > deadline:
            raise CheckFailed(f"{submission_id} did not reach {statuses} (last: {status} {job})")
        time.sleep(0.05)


def main():
    status, version = request("GET", "/api/version")
    check(status == 200 and isinstance(version.get("version"), str), "GET /api/version")

    status, body = request(
        "POST",
        "/api/jobs/",
        submit_request(
            "echo hello from $WHO",
            submission_id="py-hello",
            runtime_env={"env_vars": {"WHO": "python"}},
            metadata={"client": "urllib"},
        ),
    )
    check(status == 200 and body == {"submission_id": "py-hello"}, "POST /api/jobs/ with nulls")

    status, body = request("POST", "/api/jobs/", submit_request("true"))
    check(status == 200 and body["submission_id"].startswith("app-"), "a generated submission id")

    legacy = submit_request("true")
    legacy["job_id"] = "py-legacy"
    status, body = request("POST", "/api/jobs/", legacy)
    check(status == 200 and body == {"submission_id": "py-legacy"}, "job_id as the legacy id")

    status, body = request("POST", "/api/jobs/", submit_request("true", submission_id="py-hello"))
    check(status == 409 and body["code"] == "JOB_ALREADY_EXISTS", "a taken id answers 409")

    status, body = request("POST", "/api/jobs/", submit_request(""))
    check(status == 400 and "entrypoint" in body["message"], "a 400 naming the bad field")

    job = wait_until("py-hello", TERMINAL)
    check(set(job) == JOB_DETAILS_KEYS, "JobDetails has exactly the expected keys")
    check(job["status"] == "SUCCEEDED" and job["driver_exit_code"] == 0, "the job succeeded")
    check(job["metadata"] == {"client": "urllib"}, "metadata comes back as submitted")
    check(int(job["end_time"]) >= int(job["start_time"]) > 0, "times are millisecond strings")

    status, jobs = request("GET", "/api/jobs/")
    check(status == 200 and isinstance(jobs, list), "GET /api/jobs/ is a bare list")
    check("py-hello" in [j["submission_id"] for j in jobs], "the list holds the job")

    status, logs = request("GET", "/api/jobs/py-hello/logs")
    check(status == 200 and logs == {"logs": "hello from python\n"}, "GET .../logs")

    status, body = request("POST", "/api/jobs/", submit_request("sleep 300", "py-long"))
    check(status == 200, "submit a long job")
    wait_until("py-long", {"RUNNING"})
    status, body = request("DELETE", "/api/jobs/py-long")
    check(status == 200 and body is False, "DELETE of a running job answers bare false")
    status, body = request("POST", "/api/jobs/py-long/stop")
    check(status == 200 and body is True, "POST .../stop answers bare true")
    job = wait_until("py-long", TERMINAL)
    check(job["status"] == "STOPPED", "the stopped job is STOPPED")
    status, body = request("POST", "/api/jobs/py-long/stop")
    check(status == 200 and body is False, "stopping an ended job answers bare false")

    status, body = request("DELETE", "/api/jobs/py-long/")
    check(status == 200 and body is True, "DELETE of an ended job answers bare true")
    status, body = request("GET", "/api/jobs/py-long")
    check(status == 404 and body["code"] == "JOB_NOT_FOUND", "a deleted job is gone")

    for method, path in [
        ("GET", "/api/jobs/nobody"),
        ("GET", "/api/jobs/nobody/logs"),
        ("POST", "/api/jobs/nobody/stop"),
        ("DELETE", "/api/jobs/nobody"),
    ]:
        status, body = request(method, path)
        check(status == 404 and set(body) == {"code", "message"}, f"{method} {path} answers 404")

    print("all checks passed", flush=True)


if __name__ == "__main__":
    try:
        main()
    except CheckFailed as failure:
        print("FAILED:", failure, file=sys.stderr, flush=True)
        sys.exit(1)
