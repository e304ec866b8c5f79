-- wrk script: POST a `true` job without an id, so every request is a new submission.
wrk.method = "POST"
wrk.body = '{"entrypoint": "true"}'
wrk.headers["Content-Type"] = "application/json"
