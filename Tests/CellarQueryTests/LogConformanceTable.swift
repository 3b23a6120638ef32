// Conformance table for log queries (streams results) over fixtures/logql/sommos-logql.json (tenants
// `fake`, `other`) and fixtures/logql/sommos-logql-log.json (tenant `extra`).
// Expected results were worked out from Loki's documented semantics and its pkg/logql/log behaviour
// (parsers, `_extracted` suffixes, `__error__`/`__error_details__`, label filter conversion errors,
// streams keyed by all labels and sorted by label text), independently of this engine.
// Format: see `LogRendering`; `error: <message prefix>` for refused queries.

extension LogCase {
    static let table1: [LogCase] = [
        LogCase(#"{app="legacy"}"#, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="sommos", env="staging"}"#, #"""
            {app="sommos", env="staging", service="api"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
              170 not json at all
              110 {"level":"info","message":"staging ok","statusCode":200,"durationMs":14}
              50 {"level":"info","message":"staging ok","statusCode":200,"durationMs":7}
            """#),
        LogCase(#"{app="sommos", env!="prod"}"#, #"""
            {app="sommos", env="dev", service="api"}
              235 level=error method=GET status=500 duration=36ms msg="wine listed"
              215 level=debug method=GET status=200 duration=33ms msg="wine listed"
              195 level=info method=GET status=200 duration=30ms msg="wine listed"
              175 level=error method=GET status=200 duration=27ms msg="wine listed"
              155 level=debug method=GET status=500 duration=24ms msg="wine listed"
              135 level=info method=GET status=200 duration=21ms msg="wine listed"
              115 level=error method=GET status=200 duration=18ms msg="wine listed"
              95 level=debug method=GET status=200 duration=15ms msg="wine listed"
              75 level=info method=GET status=500 duration=12ms msg="wine listed"
              55 level=error method=GET status=200 duration=9ms msg="wine listed"
              35 level=debug method=GET status=200 duration=6ms msg="wine listed"
              15 level=info method=GET status=200 duration=3ms msg="wine listed"
            {app="sommos", env="staging", service="api"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
              170 not json at all
              110 {"level":"info","message":"staging ok","statusCode":200,"durationMs":14}
              50 {"level":"info","message":"staging ok","statusCode":200,"durationMs":7}
            """#),
        LogCase(#"{app=~"leg.*"}"#, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="sommos", service!~"api"}"#, #"""
            {app="sommos", env="prod", service="worker"}
              230 {"level":"error","message":"job done","job":"backup","processed":55,"durationMs":1200}
              210 {"level":"info","message":"job done","job":"sync","processed":45,"durationMs":1100}
              190 {"level":"info","message":"job done","job":"backup","processed":35,"durationMs":1000}
              170 {"level":"info","message":"job done","job":"sync","processed":25,"durationMs":900}
              150 {"level":"error","message":"job done","job":"backup","processed":15,"durationMs":800}
              130 {"level":"info","message":"job done","job":"sync","processed":5,"durationMs":700}
              110 {"level":"info","message":"job done","job":"backup","processed":60,"durationMs":600}
              90 {"level":"info","message":"job done","job":"sync","processed":50,"durationMs":500}
              70 {"level":"error","message":"job done","job":"backup","processed":40,"durationMs":400}
              50 {"level":"info","message":"job done","job":"sync","processed":30,"durationMs":300}
              30 {"level":"info","message":"job done","job":"backup","processed":20,"durationMs":200}
              10 {"level":"info","message":"job done","job":"sync","processed":10,"durationMs":100}
            """#),
        LogCase(#"{app=~"sommos|legacy", env=~"st.+"}"#, #"""
            {app="sommos", env="staging", service="api"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
              170 not json at all
              110 {"level":"info","message":"staging ok","statusCode":200,"durationMs":14}
              50 {"level":"info","message":"staging ok","statusCode":200,"durationMs":7}
            """#),
        LogCase(#"{env="prod", service=""}"#, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              30 GET /index.html 200 100
            """#),
        LogCase(#"{env="prod", service!=""}"#, limit: 5, #"""
            {app="sommos", env="prod", service="api"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              225 {"level":"info","message":"GET /api/cellar 201","timestamp":"2023-11-14T22:17:05.000Z","service":"api","statusCode":201,"method":"GET","path":"/api/cellar","durationMs":120,"requestId":"req-0022","size":"2KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
              215 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:16:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":115,"requestId":"req-0021","size":"1KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
            {app="sommos", env="prod", service="worker"}
              230 {"level":"error","message":"job done","job":"backup","processed":55,"durationMs":1200}
              210 {"level":"info","message":"job done","job":"sync","processed":45,"durationMs":1100}
            """#),
        LogCase(#"{app=~"sommos", env!~"prod|dev"}"#, #"""
            {app="sommos", env="staging", service="api"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
              170 not json at all
              110 {"level":"info","message":"staging ok","statusCode":200,"durationMs":14}
              50 {"level":"info","message":"staging ok","statusCode":200,"durationMs":7}
            """#),
        LogCase(#"{app="sommos", env=~"dev|staging", service="api"}"#, limit: 5, #"""
            {app="sommos", env="dev", service="api"}
              235 level=error method=GET status=500 duration=36ms msg="wine listed"
              215 level=debug method=GET status=200 duration=33ms msg="wine listed"
              195 level=info method=GET status=200 duration=30ms msg="wine listed"
              175 level=error method=GET status=200 duration=27ms msg="wine listed"
            {app="sommos", env="staging", service="api"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
            """#),
        LogCase(#"{app="nothing"}"#, ""),
        LogCase(#"{app="sommos", env="prod", service="api"}"#, tenants: ["other"], #"""
            {app="sommos", env="prod", service="api"}
              140 {"level":"info","statusCode":200}
              80 {"level":"info","statusCode":200}
              20 {"level":"info","statusCode":200}
            """#),
        LogCase(#"{app=~"gateway|colors"}"#, tenants: ["extra"], #"""
            {app="colors"}
              32 warn no colour
              22 \x1b[1;31merror\x1b[0m cellar full
              12 \x1b[32minfo\x1b[0m wine listed
            {app="gateway"}
              50 192.168.2.7 GET /api/wines/42 200
              40 172.16.0.9 GET /api/wines 404
              30 2001:db8::1 GET /health 200
              20 192.168.1.20 POST /api/cellar 500
              10 10.0.0.5 GET /api/wines 200
            """#),
        LogCase(#"{app!~"g.*|c.*|n.*|p.*", app=~".+"}"#, tenants: ["extra"], #"""
            {app="kv"}
              48 a=1 b="x y" c=3
              38 level=error msg="unterminated
              28 level=warn =bad tail=1
              18 level=info msg="cork ok" empty= flag
            """#),
        LogCase(#"{app="legacy"}"#, limit: 3, direction: .forward, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod"}
              30 GET /index.html 200 100
              110 GET /index.html 404 300
            """#),
        LogCase(#"{app="legacy"}"#, limit: 2, #"""
            {app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
            """#),
        LogCase(#"{app="legacy"}"#, start: 70, end: 190, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod"}
              150 GET /index.html 200 400
              110 GET /index.html 404 300
            """#),
        LogCase(#"{app="legacy"}"#, start: 70, end: 190, direction: .forward, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod"}
              110 GET /index.html 404 300
              150 GET /index.html 200 400
            """#),
        LogCase(#"{app="sommos", service="worker"}"#, start: 100, end: 200, limit: 3, direction: .forward, #"""
            {app="sommos", env="prod", service="worker"}
              110 {"level":"info","message":"job done","job":"backup","processed":60,"durationMs":600}
              130 {"level":"info","message":"job done","job":"sync","processed":5,"durationMs":700}
              150 {"level":"error","message":"job done","job":"backup","processed":15,"durationMs":800}
            """#),
        LogCase(#"{app="sommos", service="worker"}"#, start: 100, end: 200, limit: 3, #"""
            {app="sommos", env="prod", service="worker"}
              190 {"level":"info","message":"job done","job":"backup","processed":35,"durationMs":1000}
              170 {"level":"info","message":"job done","job":"sync","processed":25,"durationMs":900}
              150 {"level":"error","message":"job done","job":"backup","processed":15,"durationMs":800}
            """#),
        LogCase(#"{env="prod"}"#, limit: 4, #"""
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
            {app="sommos", env="prod", service="api"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              225 {"level":"info","message":"GET /api/cellar 201","timestamp":"2023-11-14T22:17:05.000Z","service":"api","statusCode":201,"method":"GET","path":"/api/cellar","durationMs":120,"requestId":"req-0022","size":"2KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
            {app="sommos", env="prod", service="worker"}
              230 {"level":"error","message":"job done","job":"backup","processed":55,"durationMs":1200}
            """#),
        LogCase(#"{env="prod"}"#, limit: 3, direction: .forward, #"""
            {app="sommos", env="prod", service="api"}
              5 {"level":"info","message":"GET /api/wines 200","timestamp":"2023-11-14T22:13:25.000Z","service":"api","statusCode":200,"method":"GET","path":"/api/wines","durationMs":10,"requestId":"req-0000","size":"512B","latency":"250ms","user":{"id":0,"role":"admin"}}
              15 {"level":"info","message":"POST /api/cellar 200","timestamp":"2023-11-14T22:13:35.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/cellar","durationMs":15,"requestId":"req-0001","size":"1KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
            {app="sommos", env="prod", service="worker"}
              10 {"level":"info","message":"job done","job":"sync","processed":10,"durationMs":100}
            """#),
        LogCase(#"{app="sommos"}"#, start: 0, end: 16, direction: .forward, #"""
            {app="sommos", env="dev", service="api"}
              15 level=info method=GET status=200 duration=3ms msg="wine listed"
            {app="sommos", env="prod", service="api"}
              5 {"level":"info","message":"GET /api/wines 200","timestamp":"2023-11-14T22:13:25.000Z","service":"api","statusCode":200,"method":"GET","path":"/api/wines","durationMs":10,"requestId":"req-0000","size":"512B","latency":"250ms","user":{"id":0,"role":"admin"}}
              15 {"level":"info","message":"POST /api/cellar 200","timestamp":"2023-11-14T22:13:35.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/cellar","durationMs":15,"requestId":"req-0001","size":"1KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
            {app="sommos", env="prod", service="worker"}
              10 {"level":"info","message":"job done","job":"sync","processed":10,"durationMs":100}
            """#),
        LogCase(#"{app="sommos"}"#, start: 225, end: 300, limit: 4, #"""
            {app="sommos", env="dev", service="api"}
              235 level=error method=GET status=500 duration=36ms msg="wine listed"
            {app="sommos", env="prod", service="api"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            {app="sommos", env="prod", service="worker"}
              230 {"level":"error","message":"job done","job":"backup","processed":55,"durationMs":1200}
            {app="sommos", env="staging", service="api"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
            """#),
        LogCase(#"{app="legacy"} |= "304""#, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            """#),
        LogCase(#"{app="legacy"} != "200""#, #"""
            {app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              110 GET /index.html 404 300
            """#),
        LogCase(#"{app="legacy"} |~ "40[04]""#, #"""
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
              110 GET /index.html 404 300
            """#),
        LogCase(#"{app="legacy"} !~ "^GET /index.html [23]""#, #"""
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              110 GET /index.html 404 300
            """#),
        LogCase(#"{app="legacy"} |= "404" or "304""#, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              110 GET /index.html 404 300
            """#),
        LogCase(#"{app="legacy"} != "404" or "304""#, #"""
            {app="legacy", env="prod"}
              150 GET /index.html 200 400
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} |~ "500$" or "600$""#, #"""
            {app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
            """#),
        LogCase(#"{app="legacy"} |= "GET" |= "200""#, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod"}
              150 GET /index.html 200 400
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} |~ "(?i)get /INDEX""#, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} |= """#, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} |= "200" != "100" or "400""#, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} |= "wines/42" |= "POST""#, #"""
            {app="sommos", env="prod", service="api"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              175 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:16:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":95,"requestId":"req-0017","size":"1KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              115 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:15:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":65,"requestId":"req-0011","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              55 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:14:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":35,"requestId":"req-0005","size":"1KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} |= "req-0007""#, #"""
            {app="sommos", env="prod", service="api"}
              75 {"level":"info","message":"POST /api/cellar 200","timestamp":"2023-11-14T22:14:35.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/cellar","durationMs":45,"requestId":"req-0007","size":"1.5KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} |= "req-9999""#, ""),
        LogCase(#"{app="sommos"} |~ "\"level\":\"(warn|error)\"" != "404""#, limit: 6, #"""
            {app="sommos", env="prod", service="api"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              175 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:16:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":95,"requestId":"req-0017","size":"1KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              115 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:15:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":65,"requestId":"req-0011","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            {app="sommos", env="prod", service="worker"}
              230 {"level":"error","message":"job done","job":"backup","processed":55,"durationMs":1200}
              150 {"level":"error","message":"job done","job":"backup","processed":15,"durationMs":800}
              70 {"level":"error","message":"job done","job":"backup","processed":40,"durationMs":400}
            """#),
        LogCase(#"{app="legacy"} |> "<_> /index.html <_> 200""#, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            """#),
    ]

    static let table2: [LogCase] = [
        LogCase(#"{app="legacy"} |> "GET <_> 404 <_>""#, #"""
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              110 GET /index.html 404 300
            """#),
        LogCase(#"{app="legacy"} !> "<_> 200 <_>""#, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              110 GET /index.html 404 300
            """#),
        LogCase(#"{app="gateway"} |> "<_> GET <_> 200""#, tenants: ["extra"], #"""
            {app="gateway"}
              50 192.168.2.7 GET /api/wines/42 200
              30 2001:db8::1 GET /health 200
              10 10.0.0.5 GET /api/wines 200
            """#),
        LogCase(#"{app="gateway"} |= ip("192.168.0.0/16")"#, tenants: ["extra"], #"""
            {app="gateway"}
              50 192.168.2.7 GET /api/wines/42 200
              20 192.168.1.20 POST /api/cellar 500
            """#),
        LogCase(#"{app="gateway"} != ip("192.168.0.0/16")"#, tenants: ["extra"], #"""
            {app="gateway"}
              40 172.16.0.9 GET /api/wines 404
              30 2001:db8::1 GET /health 200
              10 10.0.0.5 GET /api/wines 200
            """#),
        LogCase(#"{app="gateway"} |= ip("10.0.0.1-10.0.0.9")"#, tenants: ["extra"], #"""
            {app="gateway"}
              10 10.0.0.5 GET /api/wines 200
            """#),
        LogCase(#"{app="gateway"} |= ip("172.16.0.9")"#, tenants: ["extra"], #"""
            {app="gateway"}
              40 172.16.0.9 GET /api/wines 404
            """#),
        LogCase(#"{app="gateway"} |= ip("2001:db8::/32")"#, tenants: ["extra"], #"""
            {app="gateway"}
              30 2001:db8::1 GET /health 200
            """#),
        LogCase(#"{app="gateway"} |~ "^\\d+\\.\\d+""#, tenants: ["extra"], #"""
            {app="gateway"}
              50 192.168.2.7 GET /api/wines/42 200
              40 172.16.0.9 GET /api/wines 404
              20 192.168.1.20 POST /api/cellar 500
              10 10.0.0.5 GET /api/wines 200
            """#),
        LogCase(#"{app="colors"} |= "31m""#, tenants: ["extra"], #"""
            {app="colors"}
              22 \x1b[1;31merror\x1b[0m cellar full
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | requestId="req-0003""#, #"""
            {app="sommos", durationMs="25", env="prod", latency="250ms", level="info", message="POST /api/wines 200", method="POST", path="/api/wines", requestId="req-0003", service="api", service_extracted="api", size="1.5KiB", statusCode="200", timestamp="2023-11-14T22:13:55.000Z", user_id="0", user_role="admin"}
              35 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:13:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":25,"requestId":"req-0003","size":"1.5KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
            """#),
        LogCase(#"{app="sommos", service="worker"} | json"#, limit: 2, #"""
            {app="sommos", durationMs="1100", env="prod", job="sync", level="info", message="job done", processed="45", service="worker"}
              210 {"level":"info","message":"job done","job":"sync","processed":45,"durationMs":1100}
            {app="sommos", durationMs="1200", env="prod", job="backup", level="error", message="job done", processed="55", service="worker"}
              230 {"level":"error","message":"job done","job":"backup","processed":55,"durationMs":1200}
            """#),
        LogCase(#"{app="sommos", env="staging"} | json"#, #"""
            {__error__="JSONParserErr", __error_details__="Value looks like object, but can't find closing '}' symbol", app="sommos", env="staging", service="api"}
              170 not json at all
            {app="sommos", durationMs="14", env="staging", level="info", message="staging ok", service="api", statusCode="200"}
              110 {"level":"info","message":"staging ok","statusCode":200,"durationMs":14}
            {app="sommos", durationMs="28", env="staging", level="info", message="staging ok", service="api", statusCode="200"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
            {app="sommos", durationMs="7", env="staging", level="info", message="staging ok", service="api", statusCode="200"}
              50 {"level":"info","message":"staging ok","statusCode":200,"durationMs":7}
            """#),
        LogCase(#"{app="sommos", env="staging"} | json | __error__="""#, #"""
            {app="sommos", durationMs="14", env="staging", level="info", message="staging ok", service="api", statusCode="200"}
              110 {"level":"info","message":"staging ok","statusCode":200,"durationMs":14}
            {app="sommos", durationMs="28", env="staging", level="info", message="staging ok", service="api", statusCode="200"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
            {app="sommos", durationMs="7", env="staging", level="info", message="staging ok", service="api", statusCode="200"}
              50 {"level":"info","message":"staging ok","statusCode":200,"durationMs":7}
            """#),
        LogCase(#"{app="sommos", env="staging"} | json | __error__!="""#, #"""
            {__error__="JSONParserErr", __error_details__="Value looks like object, but can't find closing '}' symbol", app="sommos", env="staging", service="api"}
              170 not json at all
            """#),
        LogCase(#"{app="sommos", env="staging"} | json | __error__="JSONParserErr" | drop __error__, __error_details__"#, #"""
            {app="sommos", env="staging", service="api"}
              170 not json at all
            """#),
        LogCase(#"{app="legacy"} | json"#, limit: 3, #"""
            {__error__="JSONParserErr", __error_details__="Value looks like object, but can't find closing '}' symbol", app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {__error__="JSONParserErr", __error_details__="Value looks like object, but can't find closing '}' symbol", app="legacy", env="prod"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
            """#),
        LogCase(#"{app=~"legacy|sommos"} | json | __error__="JSONParserErr" | keep app"#, #"""
            {__error__="JSONParserErr", __error_details__="Value looks like object, but can't find closing '}' symbol", app="legacy"}
              230 GET /index.html 404 600
              190 GET /index.html 304 500
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              70 GET /index.html 304 200
              30 GET /index.html 200 100
            {__error__="JSONParserErr", __error_details__="Value looks like object, but can't find closing '}' symbol", app="sommos"}
              235 level=error method=GET status=500 duration=36ms msg="wine listed"
              215 level=debug method=GET status=200 duration=33ms msg="wine listed"
              195 level=info method=GET status=200 duration=30ms msg="wine listed"
              175 level=error method=GET status=200 duration=27ms msg="wine listed"
              170 not json at all
              155 level=debug method=GET status=500 duration=24ms msg="wine listed"
              135 level=info method=GET status=200 duration=21ms msg="wine listed"
              115 level=error method=GET status=200 duration=18ms msg="wine listed"
              95 level=debug method=GET status=200 duration=15ms msg="wine listed"
              75 level=info method=GET status=500 duration=12ms msg="wine listed"
              55 level=error method=GET status=200 duration=9ms msg="wine listed"
              35 level=debug method=GET status=200 duration=6ms msg="wine listed"
              15 level=info method=GET status=200 duration=3ms msg="wine listed"
            """#),
        LogCase(#"{app="nested"} | json"#, tenants: ["extra"], #"""
            {_1st="yes", app="nested", msg="say \"hi\"", order_customer_name="Ana", order_customer_vip="true", order_id="7", price="12.5", user_agent="curl/8.0"}
              16 {"order":{"id":7,"items":[{"name":"merlot"},{"name":"syrah"}],"customer":{"name":"Ana","vip":true}},"tags":["red","dry"],"user-agent":"curl/8.0","1st":"yes","price":12.5,"note":null,"msg":"say \"hi\""}
            {app="nested", msg="plain", order_customer_name="Bo", order_customer_vip="false", order_id="8", price="9", user_agent="wget"}
              26 {"order":{"id":8,"items":[{"name":"rioja"}],"customer":{"name":"Bo","vip":false}},"tags":["white"],"user-agent":"wget","price":9,"msg":"plain"}
            """#),
        LogCase(#"{app="nested"} | json | order_customer_vip="true" | line_format "{{.order_customer_name}} {{.user_agent}} {{._1st}}""#, tenants: ["extra"], #"""
            {_1st="yes", app="nested", msg="say \"hi\"", order_customer_name="Ana", order_customer_vip="true", order_id="7", price="12.5", user_agent="curl/8.0"}
              16 Ana curl/8.0 yes
            """#),
        LogCase(#"{app="nested"} | json first_item="order.items[0].name", customer="order.customer.name", tag0="tags[0]", missing="order.nope""#, tenants: ["extra"], #"""
            {app="nested", customer="Ana", first_item="merlot", missing="", tag0="red"}
              16 {"order":{"id":7,"items":[{"name":"merlot"},{"name":"syrah"}],"customer":{"name":"Ana","vip":true}},"tags":["red","dry"],"user-agent":"curl/8.0","1st":"yes","price":12.5,"note":null,"msg":"say \"hi\""}
            {app="nested", customer="Bo", first_item="rioja", missing="", tag0="white"}
              26 {"order":{"id":8,"items":[{"name":"rioja"}],"customer":{"name":"Bo","vip":false}},"tags":["white"],"user-agent":"wget","price":9,"msg":"plain"}
            """#),
        LogCase(#"{app="nested"} | json cust="order.customer", tags="tags", second=`order.items[1].name`"#, tenants: ["extra"], #"""
            {app="nested", cust="{\"name\":\"Ana\",\"vip\":true}", second="syrah", tags="[\"red\",\"dry\"]"}
              16 {"order":{"id":7,"items":[{"name":"merlot"},{"name":"syrah"}],"customer":{"name":"Ana","vip":true}},"tags":["red","dry"],"user-agent":"curl/8.0","1st":"yes","price":12.5,"note":null,"msg":"say \"hi\""}
            {app="nested", cust="{\"name\":\"Bo\",\"vip\":false}", second="", tags="[\"white\"]"}
              26 {"order":{"id":8,"items":[{"name":"rioja"}],"customer":{"name":"Bo","vip":false}},"tags":["white"],"user-agent":"wget","price":9,"msg":"plain"}
            """#),
        LogCase(#"{app="nested"} | json id="order[\"id\"]", price"#, tenants: ["extra"], #"""
            {app="nested", id="7", price="12.5"}
              16 {"order":{"id":7,"items":[{"name":"merlot"},{"name":"syrah"}],"customer":{"name":"Ana","vip":true}},"tags":["red","dry"],"user-agent":"curl/8.0","1st":"yes","price":12.5,"note":null,"msg":"say \"hi\""}
            {app="nested", id="8", price="9"}
              26 {"order":{"id":8,"items":[{"name":"rioja"}],"customer":{"name":"Bo","vip":false}},"tags":["white"],"user-agent":"wget","price":9,"msg":"plain"}
            """#),
        LogCase(#"{app="legacy"} | json status="statusCode""#, limit: 2, #"""
            {__error__="JSONParserErr", app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {__error__="JSONParserErr", app="legacy", env="prod"}
              230 GET /index.html 404 600
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json role="user.role", service="service" | keep role, service, service_extracted"#, limit: 3, #"""
            {role="admin", service="api", service_extracted="api"}
              215 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:16:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":115,"requestId":"req-0021","size":"1KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
            {role="guest", service="api", service_extracted="api"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              225 {"level":"info","message":"GET /api/cellar 201","timestamp":"2023-11-14T22:17:05.000Z","service":"api","statusCode":201,"method":"GET","path":"/api/cellar","durationMs":120,"requestId":"req-0022","size":"2KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | keep service, service_extracted"#, limit: 3, #"""
            {service="api", service_extracted="api"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              225 {"level":"info","message":"GET /api/cellar 201","timestamp":"2023-11-14T22:17:05.000Z","service":"api","statusCode":201,"method":"GET","path":"/api/cellar","durationMs":120,"requestId":"req-0022","size":"2KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
              215 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:16:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":115,"requestId":"req-0021","size":"1KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | user_role="admin" | keep method, path"#, #"""
            {method="GET", path="/api/wines"}
              185 {"level":"info","message":"GET /api/wines 200","timestamp":"2023-11-14T22:16:25.000Z","service":"api","statusCode":200,"method":"GET","path":"/api/wines","durationMs":100,"requestId":"req-0018","size":"2KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
              125 {"level":"info","message":"GET /api/wines 200","timestamp":"2023-11-14T22:15:25.000Z","service":"api","statusCode":200,"method":"GET","path":"/api/wines","durationMs":70,"requestId":"req-0012","size":"512B","latency":"250ms","user":{"id":0,"role":"admin"}}
              65 {"level":"info","message":"GET /api/wines 200","timestamp":"2023-11-14T22:14:25.000Z","service":"api","statusCode":200,"method":"GET","path":"/api/wines","durationMs":40,"requestId":"req-0006","size":"2KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
              5 {"level":"info","message":"GET /api/wines 200","timestamp":"2023-11-14T22:13:25.000Z","service":"api","statusCode":200,"method":"GET","path":"/api/wines","durationMs":10,"requestId":"req-0000","size":"512B","latency":"250ms","user":{"id":0,"role":"admin"}}
            {method="POST", path="/api/wines"}
              215 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:16:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":115,"requestId":"req-0021","size":"1KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
              155 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:15:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":85,"requestId":"req-0015","size":"1.5KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
              95 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:14:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":55,"requestId":"req-0009","size":"1KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
              35 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:13:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":25,"requestId":"req-0003","size":"1.5KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | user_id=2 | keep user_id, level"#, start: 0, end: 120, #"""
            {level="error", user_id="2"}
              115 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:15:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":65,"requestId":"req-0011","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              55 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:14:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":35,"requestId":"req-0005","size":"1KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            {level="warn", user_id="2"}
              85 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:14:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":50,"requestId":"req-0008","size":"512B","latency":"80ms","user":{"id":2,"role":"guest"}}
              25 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:13:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":20,"requestId":"req-0002","size":"2KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            """#),
        LogCase(#"{app="sommos", service="worker"} | json | keep job"#, limit: 4, #"""
            {job="backup"}
              230 {"level":"error","message":"job done","job":"backup","processed":55,"durationMs":1200}
              190 {"level":"info","message":"job done","job":"backup","processed":35,"durationMs":1000}
            {job="sync"}
              210 {"level":"info","message":"job done","job":"sync","processed":45,"durationMs":1100}
              170 {"level":"info","message":"job done","job":"sync","processed":25,"durationMs":900}
            """#),
        LogCase(#"{app="sommos", service="worker"} | json | keep job"#, limit: 5, direction: .forward, #"""
            {job="backup"}
              30 {"level":"info","message":"job done","job":"backup","processed":20,"durationMs":200}
              70 {"level":"error","message":"job done","job":"backup","processed":40,"durationMs":400}
            {job="sync"}
              10 {"level":"info","message":"job done","job":"sync","processed":10,"durationMs":100}
              50 {"level":"info","message":"job done","job":"sync","processed":30,"durationMs":300}
              90 {"level":"info","message":"job done","job":"sync","processed":50,"durationMs":500}
            """#),
        LogCase(#"{app="sommos", service="worker"} | json | keep level, job"#, #"""
            {job="backup", level="error"}
              230 {"level":"error","message":"job done","job":"backup","processed":55,"durationMs":1200}
              150 {"level":"error","message":"job done","job":"backup","processed":15,"durationMs":800}
              70 {"level":"error","message":"job done","job":"backup","processed":40,"durationMs":400}
            {job="backup", level="info"}
              190 {"level":"info","message":"job done","job":"backup","processed":35,"durationMs":1000}
              110 {"level":"info","message":"job done","job":"backup","processed":60,"durationMs":600}
              30 {"level":"info","message":"job done","job":"backup","processed":20,"durationMs":200}
            {job="sync", level="info"}
              210 {"level":"info","message":"job done","job":"sync","processed":45,"durationMs":1100}
              170 {"level":"info","message":"job done","job":"sync","processed":25,"durationMs":900}
              130 {"level":"info","message":"job done","job":"sync","processed":5,"durationMs":700}
              90 {"level":"info","message":"job done","job":"sync","processed":50,"durationMs":500}
              50 {"level":"info","message":"job done","job":"sync","processed":30,"durationMs":300}
              10 {"level":"info","message":"job done","job":"sync","processed":10,"durationMs":100}
            """#),
        LogCase(#"{app="sommos", service="worker"} | json | processed < 20 or durationMs >= 1100 | keep processed"#, #"""
            {processed="10"}
              10 {"level":"info","message":"job done","job":"sync","processed":10,"durationMs":100}
            {processed="15"}
              150 {"level":"error","message":"job done","job":"backup","processed":15,"durationMs":800}
            {processed="45"}
              210 {"level":"info","message":"job done","job":"sync","processed":45,"durationMs":1100}
            {processed="5"}
              130 {"level":"info","message":"job done","job":"sync","processed":5,"durationMs":700}
            {processed="55"}
              230 {"level":"error","message":"job done","job":"backup","processed":55,"durationMs":1200}
            """#),
        LogCase(#"{env="dev"} | logfmt | status >= 500"#, #"""
            {app="sommos", duration="12ms", env="dev", level="info", method="GET", msg="wine listed", service="api", status="500"}
              75 level=info method=GET status=500 duration=12ms msg="wine listed"
            {app="sommos", duration="24ms", env="dev", level="debug", method="GET", msg="wine listed", service="api", status="500"}
              155 level=debug method=GET status=500 duration=24ms msg="wine listed"
            {app="sommos", duration="36ms", env="dev", level="error", method="GET", msg="wine listed", service="api", status="500"}
              235 level=error method=GET status=500 duration=36ms msg="wine listed"
            """#),
        LogCase(#"{env="dev"} | logfmt | duration > 20ms | keep level"#, #"""
            {level="debug"}
              215 level=debug method=GET status=200 duration=33ms msg="wine listed"
              155 level=debug method=GET status=500 duration=24ms msg="wine listed"
            {level="error"}
              235 level=error method=GET status=500 duration=36ms msg="wine listed"
              175 level=error method=GET status=200 duration=27ms msg="wine listed"
            {level="info"}
              195 level=info method=GET status=200 duration=30ms msg="wine listed"
              135 level=info method=GET status=200 duration=21ms msg="wine listed"
            """#),
        LogCase(#"{env="dev"} | logfmt | duration >= 30ms and level="info""#, #"""
            {app="sommos", duration="30ms", env="dev", level="info", method="GET", msg="wine listed", service="api", status="200"}
              195 level=info method=GET status=200 duration=30ms msg="wine listed"
            """#),
        LogCase(#"{env="dev"} | logfmt | (level="debug" or level="error") and status != 200 | keep level, status"#, #"""
            {level="debug", status="500"}
              155 level=debug method=GET status=500 duration=24ms msg="wine listed"
            {level="error", status="500"}
              235 level=error method=GET status=500 duration=36ms msg="wine listed"
            """#),
        LogCase(#"{env="dev"} | logfmt | level="error", duration < 0.02s | keep duration"#, #"""
            {duration="18ms"}
              115 level=error method=GET status=200 duration=18ms msg="wine listed"
            {duration="9ms"}
              55 level=error method=GET status=200 duration=9ms msg="wine listed"
            """#),
        LogCase(#"{env="dev"} | logfmt | level=~"info|debug" | status=500 | keep level"#, #"""
            {level="debug"}
              155 level=debug method=GET status=500 duration=24ms msg="wine listed"
            {level="info"}
              75 level=info method=GET status=500 duration=12ms msg="wine listed"
            """#),
        LogCase(#"{env="dev"} | logfmt | level!~"info|debug" | keep msg"#, limit: 3, #"""
            {msg="wine listed"}
              235 level=error method=GET status=500 duration=36ms msg="wine listed"
              175 level=error method=GET status=200 duration=27ms msg="wine listed"
              115 level=error method=GET status=200 duration=18ms msg="wine listed"
            """#),
        LogCase(#"{env="dev"} | logfmt | level="info" |= "status=500""#, #"""
            {app="sommos", duration="12ms", env="dev", level="info", method="GET", msg="wine listed", service="api", status="500"}
              75 level=info method=GET status=500 duration=12ms msg="wine listed"
            """#),
    ]

    static let table3: [LogCase] = [
        LogCase(#"{env="dev"} |= "level=error" | logfmt | duration >= 20ms | line_format "{{.duration}}""#, #"""
            {app="sommos", duration="27ms", env="dev", level="error", method="GET", msg="wine listed", service="api", status="200"}
              175 27ms
            {app="sommos", duration="36ms", env="dev", level="error", method="GET", msg="wine listed", service="api", status="500"}
              235 36ms
            """#),
        LogCase(#"{app="kv"} | logfmt"#, tenants: ["extra"], #"""
            {a="1", app="kv", b="x y", c="3"}
              48 a=1 b="x y" c=3
            {app="kv", level="error"}
              38 level=error msg="unterminated
            {app="kv", level="info", msg="cork ok"}
              18 level=info msg="cork ok" empty= flag
            {app="kv", level="warn", tail="1"}
              28 level=warn =bad tail=1
            """#),
        LogCase(#"{app="kv"} | logfmt --strict"#, tenants: ["extra"], #"""
            {__error__="LogfmtParserErr", __error_details__="logfmt syntax error at pos 12 : unexpected '='", app="kv", level="warn"}
              28 level=warn =bad tail=1
            {__error__="LogfmtParserErr", __error_details__="logfmt syntax error at pos 30 : unterminated quoted value", app="kv", level="error"}
              38 level=error msg="unterminated
            {a="1", app="kv", b="x y", c="3"}
              48 a=1 b="x y" c=3
            {app="kv", level="info", msg="cork ok"}
              18 level=info msg="cork ok" empty= flag
            """#),
        LogCase(#"{app="kv"} | logfmt --keep-empty"#, tenants: ["extra"], #"""
            {a="1", app="kv", b="x y", c="3"}
              48 a=1 b="x y" c=3
            {app="kv", empty="", flag="", level="info", msg="cork ok"}
              18 level=info msg="cork ok" empty= flag
            {app="kv", level="error"}
              38 level=error msg="unterminated
            {app="kv", level="warn", tail="1"}
              28 level=warn =bad tail=1
            """#),
        LogCase(#"{app="kv"} | logfmt --strict --keep-empty"#, tenants: ["extra"], #"""
            {__error__="LogfmtParserErr", __error_details__="logfmt syntax error at pos 12 : unexpected '='", app="kv", level="warn"}
              28 level=warn =bad tail=1
            {__error__="LogfmtParserErr", __error_details__="logfmt syntax error at pos 30 : unterminated quoted value", app="kv", level="error"}
              38 level=error msg="unterminated
            {a="1", app="kv", b="x y", c="3"}
              48 a=1 b="x y" c=3
            {app="kv", empty="", flag="", level="info", msg="cork ok"}
              18 level=info msg="cork ok" empty= flag
            """#),
        LogCase(#"{app="kv"} | logfmt --strict | __error__="LogfmtParserErr" | line_format "{{.level}}""#, tenants: ["extra"], #"""
            {__error__="LogfmtParserErr", __error_details__="logfmt syntax error at pos 12 : unexpected '='", app="kv", level="warn"}
              28 warn
            {__error__="LogfmtParserErr", __error_details__="logfmt syntax error at pos 30 : unterminated quoted value", app="kv", level="error"}
              38 error
            """#),
        LogCase(#"{app="kv"} | logfmt lvl="level", m="msg""#, tenants: ["extra"], #"""
            {app="kv", lvl="", m=""}
              48 a=1 b="x y" c=3
            {app="kv", lvl="error", m=""}
              38 level=error msg="unterminated
            {app="kv", lvl="info", m="cork ok"}
              18 level=info msg="cork ok" empty= flag
            {app="kv", lvl="warn", m=""}
              28 level=warn =bad tail=1
            """#),
        LogCase(#"{app="kv"} | logfmt | b="x y" | line_format "{{.a}}+{{.c}}""#, tenants: ["extra"], #"""
            {a="1", app="kv", b="x y", c="3"}
              48 1+3
            """#),
        LogCase(#"{app="sommos", env="staging"} | logfmt"#, #"""
            {app="sommos", env="staging", service="api"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
              170 not json at all
              110 {"level":"info","message":"staging ok","statusCode":200,"durationMs":14}
              50 {"level":"info","message":"staging ok","statusCode":200,"durationMs":7}
            """#),
        LogCase(#"{app="legacy"} | regexp "(?P<method>\\w+) (?P<path>\\S+) (?P<status>\\d+) (?P<bytes>\\d+)" | keep status"#, #"""
            {status="200"}
              150 GET /index.html 200 400
              30 GET /index.html 200 100
            {status="304"}
              190 GET /index.html 304 500
              70 GET /index.html 304 200
            {status="404"}
              230 GET /index.html 404 600
              110 GET /index.html 404 300
            """#),
        LogCase(#"{app="legacy"} | regexp `(?P<code>5\d\d)`"#, #"""
            {app="legacy", code="500", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} | regexp `^(?P<app>\w+)` | keep app, app_extracted"#, limit: 2, #"""
            {app="legacy", app_extracted="GET"}
              230 GET /index.html 404 600
              190 GET /index.html 304 500
            """#),
        LogCase(#"{app="legacy"} | regexp `(?P<status>\d{3}) (?P<bytes>\d+)$` | bytes > 350 | line_format "{{.status}}/{{.bytes}}""#, #"""
            {app="legacy", bytes="400", env="prod", status="200"}
              150 200/400
            {app="legacy", bytes="500", env="prod", status="304", trace_id="def"}
              190 304/500
            {app="legacy", bytes="600", env="prod", status="404"}
              230 404/600
            """#),
        LogCase(#"{app="gateway"} | regexp `^(?P<addr>[0-9.]+) (?P<verb>[A-Z]+)`"#, tenants: ["extra"], #"""
            {addr="10.0.0.5", app="gateway", verb="GET"}
              10 10.0.0.5 GET /api/wines 200
            {addr="172.16.0.9", app="gateway", verb="GET"}
              40 172.16.0.9 GET /api/wines 404
            {addr="192.168.1.20", app="gateway", verb="POST"}
              20 192.168.1.20 POST /api/cellar 500
            {addr="192.168.2.7", app="gateway", verb="GET"}
              50 192.168.2.7 GET /api/wines/42 200
            {app="gateway"}
              30 2001:db8::1 GET /health 200
            """#),
        LogCase(#"{app="legacy"} | pattern "<method> <path> <status> <size>" | status="404""#, #"""
            {app="legacy", env="prod", method="GET", path="/index.html", size="300", status="404"}
              110 GET /index.html 404 300
            {app="legacy", env="prod", method="GET", path="/index.html", size="600", status="404"}
              230 GET /index.html 404 600
            """#),
        LogCase(#"{app="legacy"} | pattern "<method> <_> <status>" | keep status"#, #"""
            {status="200 100"}
              30 GET /index.html 200 100
            {status="200 400"}
              150 GET /index.html 200 400
            {status="304 200"}
              70 GET /index.html 304 200
            {status="304 500"}
              190 GET /index.html 304 500
            {status="404 300"}
              110 GET /index.html 404 300
            {status="404 600"}
              230 GET /index.html 404 600
            """#),
        LogCase(#"{app="legacy"} | pattern "<_> <_> <code> <_>" | code=304"#, #"""
            {app="legacy", code="304", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", code="304", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            """#),
        LogCase(#"{app="gateway"} | pattern "<addr> <method> <path> <status>" | status >= 400"#, tenants: ["extra"], #"""
            {addr="172.16.0.9", app="gateway", method="GET", path="/api/wines", status="404"}
              40 172.16.0.9 GET /api/wines 404
            {addr="192.168.1.20", app="gateway", method="POST", path="/api/cellar", status="500"}
              20 192.168.1.20 POST /api/cellar 500
            """#),
        LogCase(#"{app="gateway"} | pattern "GET <path>""#, tenants: ["extra"], #"""
            {app="gateway"}
              50 192.168.2.7 GET /api/wines/42 200
              40 172.16.0.9 GET /api/wines 404
              30 2001:db8::1 GET /health 200
              20 192.168.1.20 POST /api/cellar 500
              10 10.0.0.5 GET /api/wines 200
            """#),
        LogCase(#"{app="gateway"} | pattern "<app> <_>""#, limit: 2, tenants: ["extra"], #"""
            {app="gateway", app_extracted="172.16.0.9"}
              40 172.16.0.9 GET /api/wines 404
            {app="gateway", app_extracted="192.168.2.7"}
              50 192.168.2.7 GET /api/wines/42 200
            """#),
        LogCase(#"{app="gateway"} | pattern "<addr> <_> /api/<what> <_>" | what!="""#, tenants: ["extra"], #"""
            {addr="10.0.0.5", app="gateway", what="wines"}
              10 10.0.0.5 GET /api/wines 200
            {addr="172.16.0.9", app="gateway", what="wines"}
              40 172.16.0.9 GET /api/wines 404
            {addr="192.168.1.20", app="gateway", what="cellar"}
              20 192.168.1.20 POST /api/cellar 500
            {addr="192.168.2.7", app="gateway", what="wines/42"}
              50 192.168.2.7 GET /api/wines/42 200
            """#),
        LogCase(#"{app="gateway"} | pattern "<addr> <_> /api/<what> <_>" | addr = ip("192.168.0.0/16")"#, tenants: ["extra"], #"""
            {addr="192.168.1.20", app="gateway", what="cellar"}
              20 192.168.1.20 POST /api/cellar 500
            {addr="192.168.2.7", app="gateway", what="wines/42"}
              50 192.168.2.7 GET /api/wines/42 200
            """#),
        LogCase(#"{app="gateway"} | pattern "<addr> <_>" | addr != ip("192.168.0.0/16")"#, tenants: ["extra"], #"""
            {addr="10.0.0.5", app="gateway"}
              10 10.0.0.5 GET /api/wines 200
            {addr="172.16.0.9", app="gateway"}
              40 172.16.0.9 GET /api/wines 404
            {addr="2001:db8::1", app="gateway"}
              30 2001:db8::1 GET /health 200
            """#),
        LogCase(#"{app="packed"} | unpack"#, tenants: ["extra"], #"""
            {__error__="JSONParserErr", __error_details__="expecting json object(6), but it is not", app="packed"}
              34 plain text line
            {app="packed", app_extracted="cork"}
              44 level=info msg="cork ok"
            {app="packed", region="bordeaux", vintage="2019"}
              14 bottle opened
            {app="packed"}
              24 {"region":"rioja","vintage":"2020"}
            """#),
        LogCase(#"{app="packed"} | unpack | region="bordeaux""#, tenants: ["extra"], #"""
            {app="packed", region="bordeaux", vintage="2019"}
              14 bottle opened
            """#),
        LogCase(#"{app="packed"} | unpack | __error__="""#, tenants: ["extra"], #"""
            {app="packed", app_extracted="cork"}
              44 level=info msg="cork ok"
            {app="packed", region="bordeaux", vintage="2019"}
              14 bottle opened
            {app="packed"}
              24 {"region":"rioja","vintage":"2020"}
            """#),
        LogCase(#"{app="packed"} | unpack | logfmt | level="info""#, tenants: ["extra"], #"""
            {app="packed", app_extracted="cork", level="info", msg="cork ok"}
              44 level=info msg="cork ok"
            """#),
        LogCase(#"{app="packed"} | json"#, tenants: ["extra"], #"""
            {__error__="JSONParserErr", __error_details__="Value looks like object, but can't find closing '}' symbol", app="packed"}
              34 plain text line
            {_entry="bottle opened", app="packed", count="3", region="bordeaux", vintage="2019"}
              14 {"region":"bordeaux","vintage":"2019","count":3,"_entry":"bottle opened"}
            {_entry="level=info msg=\"cork ok\"", app="packed", app_extracted="cork"}
              44 {"_entry":"level=info msg=\"cork ok\"","app":"cork"}
            {app="packed", region="rioja", vintage="2020"}
              24 {"region":"rioja","vintage":"2020"}
            """#),
        LogCase(#"{app="colors"} | decolorize"#, tenants: ["extra"], #"""
            {app="colors"}
              32 warn no colour
              22 error cellar full
              12 info wine listed
            """#),
        LogCase(#"{app="colors"} | decolorize | pattern "<level> <_>" | level="error""#, tenants: ["extra"], #"""
            {app="colors", level="error"}
              22 error cellar full
            """#),
        LogCase(#"{app="colors"} | decolorize |= "info w""#, tenants: ["extra"], #"""
            {app="colors"}
              12 info wine listed
            """#),
        LogCase(#"{app="colors"} |= "info w""#, tenants: ["extra"], ""),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | size > 1KiB | keep size"#, #"""
            {size="1.5KiB"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              195 {"level":"info","message":"POST /api/cellar 200","timestamp":"2023-11-14T22:16:35.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/cellar","durationMs":105,"requestId":"req-0019","size":"1.5KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
              155 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:15:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":85,"requestId":"req-0015","size":"1.5KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
              115 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:15:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":65,"requestId":"req-0011","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              75 {"level":"info","message":"POST /api/cellar 200","timestamp":"2023-11-14T22:14:35.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/cellar","durationMs":45,"requestId":"req-0007","size":"1.5KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
              35 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:13:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":25,"requestId":"req-0003","size":"1.5KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
            {size="2KiB"}
              225 {"level":"info","message":"GET /api/cellar 201","timestamp":"2023-11-14T22:17:05.000Z","service":"api","statusCode":201,"method":"GET","path":"/api/cellar","durationMs":120,"requestId":"req-0022","size":"2KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
              185 {"level":"info","message":"GET /api/wines 200","timestamp":"2023-11-14T22:16:25.000Z","service":"api","statusCode":200,"method":"GET","path":"/api/wines","durationMs":100,"requestId":"req-0018","size":"2KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
              145 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:15:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":80,"requestId":"req-0014","size":"2KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              105 {"level":"info","message":"GET /api/cellar 201","timestamp":"2023-11-14T22:15:05.000Z","service":"api","statusCode":201,"method":"GET","path":"/api/cellar","durationMs":60,"requestId":"req-0010","size":"2KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
              65 {"level":"info","message":"GET /api/wines 200","timestamp":"2023-11-14T22:14:25.000Z","service":"api","statusCode":200,"method":"GET","path":"/api/wines","durationMs":40,"requestId":"req-0006","size":"2KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
              25 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:13:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":20,"requestId":"req-0002","size":"2KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | size <= 512B | keep size"#, limit: 4, #"""
            {size="512B"}
              205 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:16:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":110,"requestId":"req-0020","size":"512B","latency":"80ms","user":{"id":2,"role":"guest"}}
              165 {"level":"info","message":"GET /api/cellar 201","timestamp":"2023-11-14T22:16:05.000Z","service":"api","statusCode":201,"method":"GET","path":"/api/cellar","durationMs":90,"requestId":"req-0016","size":"512B","latency":"1.5s","user":{"id":1,"role":"guest"}}
              125 {"level":"info","message":"GET /api/wines 200","timestamp":"2023-11-14T22:15:25.000Z","service":"api","statusCode":200,"method":"GET","path":"/api/wines","durationMs":70,"requestId":"req-0012","size":"512B","latency":"250ms","user":{"id":0,"role":"admin"}}
              85 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:14:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":50,"requestId":"req-0008","size":"512B","latency":"80ms","user":{"id":2,"role":"guest"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | size == 1KB | keep size"#, ""),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | size >= 1.5KiB and size < 2KiB | keep size"#, limit: 3, #"""
            {size="1.5KiB"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              195 {"level":"info","message":"POST /api/cellar 200","timestamp":"2023-11-14T22:16:35.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/cellar","durationMs":105,"requestId":"req-0019","size":"1.5KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
              155 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:15:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":85,"requestId":"req-0015","size":"1.5KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | latency >= 1s | keep latency"#, limit: 4, #"""
            {latency="1.5s"}
              225 {"level":"info","message":"GET /api/cellar 201","timestamp":"2023-11-14T22:17:05.000Z","service":"api","statusCode":201,"method":"GET","path":"/api/cellar","durationMs":120,"requestId":"req-0022","size":"2KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
              195 {"level":"info","message":"POST /api/cellar 200","timestamp":"2023-11-14T22:16:35.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/cellar","durationMs":105,"requestId":"req-0019","size":"1.5KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
              165 {"level":"info","message":"GET /api/cellar 201","timestamp":"2023-11-14T22:16:05.000Z","service":"api","statusCode":201,"method":"GET","path":"/api/cellar","durationMs":90,"requestId":"req-0016","size":"512B","latency":"1.5s","user":{"id":1,"role":"guest"}}
              135 {"level":"info","message":"POST /api/cellar 200","timestamp":"2023-11-14T22:15:35.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/cellar","durationMs":75,"requestId":"req-0013","size":"1KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | latency < 100ms | keep latency, path"#, limit: 3, #"""
            {latency="80ms", path="/api/wines/42"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              205 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:16:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":110,"requestId":"req-0020","size":"512B","latency":"80ms","user":{"id":2,"role":"guest"}}
              175 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:16:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":95,"requestId":"req-0017","size":"1KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | latency == 250ms | keep latency"#, start: 0, end: 100, #"""
            {latency="250ms"}
              95 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:14:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":55,"requestId":"req-0009","size":"1KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
              65 {"level":"info","message":"GET /api/wines 200","timestamp":"2023-11-14T22:14:25.000Z","service":"api","statusCode":200,"method":"GET","path":"/api/wines","durationMs":40,"requestId":"req-0006","size":"2KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
              35 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:13:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":25,"requestId":"req-0003","size":"1.5KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
              5 {"level":"info","message":"GET /api/wines 200","timestamp":"2023-11-14T22:13:25.000Z","service":"api","statusCode":200,"method":"GET","path":"/api/wines","durationMs":10,"requestId":"req-0000","size":"512B","latency":"250ms","user":{"id":0,"role":"admin"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | statusCode == 404 | keep statusCode"#, #"""
            {statusCode="404"}
              205 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:16:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":110,"requestId":"req-0020","size":"512B","latency":"80ms","user":{"id":2,"role":"guest"}}
              145 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:15:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":80,"requestId":"req-0014","size":"2KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              85 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:14:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":50,"requestId":"req-0008","size":"512B","latency":"80ms","user":{"id":2,"role":"guest"}}
              25 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:13:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":20,"requestId":"req-0002","size":"2KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            """#),
    ]

    static let table4: [LogCase] = [
        LogCase(#"{app="sommos", env="prod", service="api"} | json | statusCode != 200 and statusCode < 500 | keep statusCode"#, limit: 4, #"""
            {statusCode="201"}
              225 {"level":"info","message":"GET /api/cellar 201","timestamp":"2023-11-14T22:17:05.000Z","service":"api","statusCode":201,"method":"GET","path":"/api/cellar","durationMs":120,"requestId":"req-0022","size":"2KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
              165 {"level":"info","message":"GET /api/cellar 201","timestamp":"2023-11-14T22:16:05.000Z","service":"api","statusCode":201,"method":"GET","path":"/api/cellar","durationMs":90,"requestId":"req-0016","size":"512B","latency":"1.5s","user":{"id":1,"role":"guest"}}
            {statusCode="404"}
              205 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:16:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":110,"requestId":"req-0020","size":"512B","latency":"80ms","user":{"id":2,"role":"guest"}}
              145 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:15:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":80,"requestId":"req-0014","size":"2KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | durationMs > 100 or durationMs <= 15 | keep durationMs"#, #"""
            {durationMs="10"}
              5 {"level":"info","message":"GET /api/wines 200","timestamp":"2023-11-14T22:13:25.000Z","service":"api","statusCode":200,"method":"GET","path":"/api/wines","durationMs":10,"requestId":"req-0000","size":"512B","latency":"250ms","user":{"id":0,"role":"admin"}}
            {durationMs="105"}
              195 {"level":"info","message":"POST /api/cellar 200","timestamp":"2023-11-14T22:16:35.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/cellar","durationMs":105,"requestId":"req-0019","size":"1.5KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
            {durationMs="110"}
              205 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:16:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":110,"requestId":"req-0020","size":"512B","latency":"80ms","user":{"id":2,"role":"guest"}}
            {durationMs="115"}
              215 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:16:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":115,"requestId":"req-0021","size":"1KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
            {durationMs="120"}
              225 {"level":"info","message":"GET /api/cellar 201","timestamp":"2023-11-14T22:17:05.000Z","service":"api","statusCode":201,"method":"GET","path":"/api/cellar","durationMs":120,"requestId":"req-0022","size":"2KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
            {durationMs="125"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            {durationMs="15"}
              15 {"level":"info","message":"POST /api/cellar 200","timestamp":"2023-11-14T22:13:35.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/cellar","durationMs":15,"requestId":"req-0001","size":"1KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | method="GET" and (statusCode >= 400 or durationMs < 20) | keep statusCode, method"#, #"""
            {method="GET", statusCode="200"}
              5 {"level":"info","message":"GET /api/wines 200","timestamp":"2023-11-14T22:13:25.000Z","service":"api","statusCode":200,"method":"GET","path":"/api/wines","durationMs":10,"requestId":"req-0000","size":"512B","latency":"250ms","user":{"id":0,"role":"admin"}}
            {method="GET", statusCode="404"}
              205 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:16:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":110,"requestId":"req-0020","size":"512B","latency":"80ms","user":{"id":2,"role":"guest"}}
              145 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:15:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":80,"requestId":"req-0014","size":"2KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              85 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:14:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":50,"requestId":"req-0008","size":"512B","latency":"80ms","user":{"id":2,"role":"guest"}}
              25 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:13:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":20,"requestId":"req-0002","size":"2KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | method="POST" or statusCode=404, path=~"/api/wines.*" | keep method, path"#, limit: 6, #"""
            {method="GET", path="/api/wines/42"}
              205 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:16:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":110,"requestId":"req-0020","size":"512B","latency":"80ms","user":{"id":2,"role":"guest"}}
            {method="POST", path="/api/cellar"}
              195 {"level":"info","message":"POST /api/cellar 200","timestamp":"2023-11-14T22:16:35.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/cellar","durationMs":105,"requestId":"req-0019","size":"1.5KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
            {method="POST", path="/api/wines"}
              215 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:16:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":115,"requestId":"req-0021","size":"1KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
              155 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:15:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":85,"requestId":"req-0015","size":"1.5KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
            {method="POST", path="/api/wines/42"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              175 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:16:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":95,"requestId":"req-0017","size":"1KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            """#),
        LogCase(#"{app="nested"} | json | price > 10"#, tenants: ["extra"], #"""
            {_1st="yes", app="nested", msg="say \"hi\"", order_customer_name="Ana", order_customer_vip="true", order_id="7", price="12.5", user_agent="curl/8.0"}
              16 {"order":{"id":7,"items":[{"name":"merlot"},{"name":"syrah"}],"customer":{"name":"Ana","vip":true}},"tags":["red","dry"],"user-agent":"curl/8.0","1st":"yes","price":12.5,"note":null,"msg":"say \"hi\""}
            """#),
        LogCase(#"{app="nested"} | json | price <= 9.0 | line_format "{{.price}}""#, tenants: ["extra"], #"""
            {app="nested", msg="plain", order_customer_name="Bo", order_customer_vip="false", order_id="8", price="9", user_agent="wget"}
              26 9
            """#),
        LogCase(#"{app="sommos", env="staging"} | json | statusCode == 200 | keep durationMs"#, #"""
            {durationMs="14"}
              110 {"level":"info","message":"staging ok","statusCode":200,"durationMs":14}
            {durationMs="28"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
            {durationMs="7"}
              50 {"level":"info","message":"staging ok","statusCode":200,"durationMs":7}
            """#),
        LogCase(#"{app="sommos", env="staging"} | json | level > 1 | keep level"#, #"""
            {__error__="LabelFilterErr", __error_details__="strconv.ParseFloat: parsing \"info\": invalid syntax", level="info"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
              110 {"level":"info","message":"staging ok","statusCode":200,"durationMs":14}
              50 {"level":"info","message":"staging ok","statusCode":200,"durationMs":7}
            """#),
        LogCase(#"{app="sommos", env="staging"} | json | message > 1s | keep message"#, #"""
            {__error__="LabelFilterErr", __error_details__="time: invalid duration \"staging ok\"", message="staging ok"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
              110 {"level":"info","message":"staging ok","statusCode":200,"durationMs":14}
              50 {"level":"info","message":"staging ok","statusCode":200,"durationMs":7}
            """#),
        LogCase(#"{app="sommos", env="staging"} | json | message > 1KB | keep message"#, #"""
            {__error__="LabelFilterErr", __error_details__="strconv.ParseFloat: parsing \"\": invalid syntax", message="staging ok"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
              110 {"level":"info","message":"staging ok","statusCode":200,"durationMs":14}
              50 {"level":"info","message":"staging ok","statusCode":200,"durationMs":7}
            """#),
        LogCase(#"{app="sommos", env="staging"} | json | level > 1 | __error__="" | keep level"#, ""),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | (level="warn" and size > 1) or statusCode >= 500 | keep level"#, #"""
            {__error__="LabelFilterErr", __error_details__="strconv.ParseFloat: parsing \"1.5KiB\": invalid syntax", level="error"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              115 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:15:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":65,"requestId":"req-0011","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            {__error__="LabelFilterErr", __error_details__="strconv.ParseFloat: parsing \"1KiB\": invalid syntax", level="error"}
              175 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:16:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":95,"requestId":"req-0017","size":"1KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              55 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:14:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":35,"requestId":"req-0005","size":"1KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            {__error__="LabelFilterErr", __error_details__="strconv.ParseFloat: parsing \"2KiB\": invalid syntax", level="warn"}
              145 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:15:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":80,"requestId":"req-0014","size":"2KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              25 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:13:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":20,"requestId":"req-0002","size":"2KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            {__error__="LabelFilterErr", __error_details__="strconv.ParseFloat: parsing \"512B\": invalid syntax", level="warn"}
              205 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:16:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":110,"requestId":"req-0020","size":"512B","latency":"80ms","user":{"id":2,"role":"guest"}}
              85 {"level":"warn","message":"GET /api/wines/42 404","timestamp":"2023-11-14T22:14:45.000Z","service":"api","statusCode":404,"method":"GET","path":"/api/wines/42","durationMs":50,"requestId":"req-0008","size":"512B","latency":"80ms","user":{"id":2,"role":"guest"}}
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | nothere > 1"#, ""),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | nothere="" | keep requestId"#, limit: 2, #"""
            {requestId="req-0022"}
              225 {"level":"info","message":"GET /api/cellar 201","timestamp":"2023-11-14T22:17:05.000Z","service":"api","statusCode":201,"method":"GET","path":"/api/cellar","durationMs":120,"requestId":"req-0022","size":"2KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
            {requestId="req-0023"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
            """#),
        LogCase(#"{app="legacy"} | json | level > 1 | keep app"#, ""),
        LogCase(#"{app="legacy"} | trace_id="abc""#, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            """#),
        LogCase(#"{app="legacy"} | trace_id="""#, #"""
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} | trace_id=~"abc|def" | line_format "{{.trace_id}}""#, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 abc
            {app="legacy", env="prod", trace_id="def"}
              190 def
            """#),
        LogCase(#"{app="legacy"} | trace_id!="abc" |= "304""#, #"""
            {app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            """#),
        LogCase(#"{app="legacy"} | line_format "{{.app}}:{{.env}}""#, #"""
            {app="legacy", env="prod", trace_id="abc"}
              70 legacy:prod
            {app="legacy", env="prod", trace_id="def"}
              190 legacy:prod
            {app="legacy", env="prod"}
              230 legacy:prod
              150 legacy:prod
              110 legacy:prod
              30 legacy:prod
            """#),
        LogCase(#"{env="dev"} | logfmt | line_format "{{.level | ToUpper}} {{.duration}}" | keep level"#, limit: 3, #"""
            {level="debug"}
              215 DEBUG 33ms
            {level="error"}
              235 ERROR 36ms
            {level="info"}
              195 INFO 30ms
            """#),
        LogCase(#"{app="legacy"} | line_format "{{ __line__ | trunc 8 }}""#, limit: 2, #"""
            {app="legacy", env="prod", trace_id="def"}
              190 GET /ind
            {app="legacy", env="prod"}
              230 GET /ind
            """#),
        LogCase(#"{app="legacy"} | line_format "{{ __timestamp__ | unixEpoch }}""#, limit: 2, #"""
            {app="legacy", env="prod", trace_id="def"}
              190 1700000190
            {app="legacy", env="prod"}
              230 1700000230
            """#),
        LogCase(#"{env="dev"} | logfmt | line_format `{{ if eq .level "error" }}E{{ else }}-{{ end }}{{ .status }}` | keep status"#, start: 100, end: 200, #"""
            {status="200"}
              195 -200
              175 E200
              135 -200
              115 E200
            {status="500"}
              155 -500
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | line_format `{{ printf "%s %s" .method .path }}` | keep method"#, limit: 4, #"""
            {method="GET"}
              225 GET /api/cellar
              205 GET /api/wines/42
            {method="POST"}
              235 POST /api/wines/42
              215 POST /api/wines
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | line_format `{{ replace "/api/" "" .path }}` | keep user_role"#, limit: 3, #"""
            {user_role="admin"}
              215 wines
            {user_role="guest"}
              235 wines/42
              225 cellar
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | line_format `{{ regexReplaceAll "(\\d+)" .message "<${1}>" }}` | keep level"#, limit: 3, #"""
            {level="error"}
              235 POST /api/wines/<42> <500>
            {level="info"}
              225 GET /api/cellar <201>
              215 POST /api/wines <200>
            """#),
        LogCase(#"{app="legacy"} | line_format `{{ default "none" .missing }}|{{ .missing }}|{{ .app | upper }}`"#, limit: 1, #"""
            {app="legacy", env="prod"}
              230 none||LEGACY
            """#),
        LogCase(#"{app="sommos", service="worker"} | json | line_format `{{ add .durationMs 1000 }} {{ div .processed 10 }}` | keep job"#, limit: 3, #"""
            {job="backup"}
              230 2200 5
              190 2000 3
            {job="sync"}
              210 2100 4
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | line_format `{{ .user_role | title }} {{ .requestId | trimPrefix "req-" }} {{ substr 0 3 .message }}` | keep user_role"#, limit: 3, #"""
            {user_role="admin"}
              215 Admin 0021 POS
            {user_role="guest"}
              235 Guest 0023 POS
              225 Guest 0022 GET
            """#),
        LogCase(#"{app="legacy"} | line_format `{{ len .app }} {{ "ab" | repeat 2 }} {{ lower "X" }}{{ if contains "gac" .app }} yes{{ end }}`"#, limit: 1, #"""
            {app="legacy", env="prod"}
              230 6 abab x yes
            """#),
        LogCase(#"{app="legacy"} | line_format "{{ index .app 9 }}" | __error__="TemplateFormatErr" | drop __error_details__"#, limit: 2, #"""
            {__error__="TemplateFormatErr", app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {__error__="TemplateFormatErr", app="legacy", env="prod"}
              230 GET /index.html 404 600
            """#),
        LogCase(#"{app="legacy"} | line_format "{{.env}}" |= "prod""#, limit: 2, #"""
            {app="legacy", env="prod", trace_id="def"}
              190 prod
            {app="legacy", env="prod"}
              230 prod
            """#),
        LogCase(#"{app="legacy"} | line_format "{{.env}}" |= "GET""#, ""),
        LogCase(#"{env="dev"} | logfmt | line_format "{{.msg}}" | msg="wine listed" | keep msg"#, limit: 2, #"""
            {msg="wine listed"}
              235 wine listed
              215 wine listed
            """#),
        LogCase(#"{app="legacy"} | label_format env="{{.env}}-{{.app}}""#, #"""
            {app="legacy", env="prod-legacy", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod-legacy", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy", env="prod-legacy"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} | label_format application=app"#, #"""
            {application="legacy", env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {application="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {application="legacy", env="prod"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} | label_format x=nothere"#, limit: 2, #"""
            {app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
            """#),
        LogCase(#"{app="legacy"} | label_format first="{{ __line__ | trunc 3 }}", app="{{ ToUpper .app }}""#, limit: 3, #"""
            {app="LEGACY", env="prod", first="GET", trace_id="def"}
              190 GET /index.html 304 500
            {app="LEGACY", env="prod", first="GET"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
            """#),
        LogCase(#"{env="dev"} | logfmt | label_format level="{{ToUpper .level}}" | keep level"#, limit: 3, #"""
            {level="DEBUG"}
              215 level=debug method=GET status=200 duration=33ms msg="wine listed"
            {level="ERROR"}
              235 level=error method=GET status=500 duration=36ms msg="wine listed"
            {level="INFO"}
              195 level=info method=GET status=200 duration=30ms msg="wine listed"
            """#),
    ]

    static let table5: [LogCase] = [
        LogCase(#"{env="dev"} | logfmt | label_format code=status | keep code, status"#, limit: 3, #"""
            {code="200"}
              215 level=debug method=GET status=200 duration=33ms msg="wine listed"
              195 level=info method=GET status=200 duration=30ms msg="wine listed"
            {code="500"}
              235 level=error method=GET status=500 duration=36ms msg="wine listed"
            """#),
        LogCase(#"{app="sommos", env="prod", service="api"} | json | label_format svc=service_extracted, role=`{{ .user_role }}` | keep svc, role, service"#, limit: 3, #"""
            {role="admin", service="api", svc="api"}
              215 {"level":"info","message":"POST /api/wines 200","timestamp":"2023-11-14T22:16:55.000Z","service":"api","statusCode":200,"method":"POST","path":"/api/wines","durationMs":115,"requestId":"req-0021","size":"1KiB","latency":"250ms","user":{"id":0,"role":"admin"}}
            {role="guest", service="api", svc="api"}
              235 {"level":"error","message":"POST /api/wines/42 500","timestamp":"2023-11-14T22:17:15.000Z","service":"api","statusCode":500,"method":"POST","path":"/api/wines/42","durationMs":125,"requestId":"req-0023","size":"1.5KiB","latency":"80ms","user":{"id":2,"role":"guest"}}
              225 {"level":"info","message":"GET /api/cellar 201","timestamp":"2023-11-14T22:17:05.000Z","service":"api","statusCode":201,"method":"GET","path":"/api/cellar","durationMs":120,"requestId":"req-0022","size":"2KiB","latency":"1.5s","user":{"id":1,"role":"guest"}}
            """#),
        LogCase(#"{app="legacy"} | label_format trace="{{ .trace_id }}" | trace!="""#, #"""
            {app="legacy", env="prod", trace="abc", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", env="prod", trace="def", trace_id="def"}
              190 GET /index.html 304 500
            """#),
        LogCase(#"{app="legacy"} | label_format t=trace_id | keep t"#, #"""
            {t="abc"}
              70 GET /index.html 304 200
            {t="def"}
              190 GET /index.html 304 500
            {}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} | drop env"#, #"""
            {app="legacy", trace_id="abc"}
              70 GET /index.html 304 200
            {app="legacy", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} | drop trace_id"#, #"""
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              190 GET /index.html 304 500
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              70 GET /index.html 304 200
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} | drop trace_id="abc""#, #"""
            {app="legacy", env="prod", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy", env="prod"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              70 GET /index.html 304 200
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} | drop app, trace_id="def", nothere"#, #"""
            {env="prod", trace_id="abc"}
              70 GET /index.html 304 200
            {env="prod"}
              230 GET /index.html 404 600
              190 GET /index.html 304 500
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} | keep app"#, #"""
            {app="legacy"}
              230 GET /index.html 404 600
              190 GET /index.html 304 500
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              70 GET /index.html 304 200
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} | keep app, trace_id="def""#, #"""
            {app="legacy", trace_id="def"}
              190 GET /index.html 304 500
            {app="legacy"}
              230 GET /index.html 404 600
              150 GET /index.html 200 400
              110 GET /index.html 404 300
              70 GET /index.html 304 200
              30 GET /index.html 200 100
            """#),
        LogCase(#"{app="legacy"} | keep nothere"#, limit: 2, #"""
            {}
              230 GET /index.html 404 600
              190 GET /index.html 304 500
            """#),
        LogCase(#"{app="sommos", env="staging"} | json | keep level"#, #"""
            {__error__="JSONParserErr", __error_details__="Value looks like object, but can't find closing '}' symbol"}
              170 not json at all
            {level="info"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
              110 {"level":"info","message":"staging ok","statusCode":200,"durationMs":14}
              50 {"level":"info","message":"staging ok","statusCode":200,"durationMs":7}
            """#),
        LogCase(#"{app="sommos", env="staging"} | json | drop __error__"#, start: 150, end: 200, #"""
            {__error_details__="Value looks like object, but can't find closing '}' symbol", app="sommos", env="staging", service="api"}
              170 not json at all
            """#),
        LogCase(#"{app="sommos", env="staging"} | json | drop __error_details__ | keep app"#, #"""
            {__error__="JSONParserErr", app="sommos"}
              170 not json at all
            {app="sommos"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
              110 {"level":"info","message":"staging ok","statusCode":200,"durationMs":14}
              50 {"level":"info","message":"staging ok","statusCode":200,"durationMs":7}
            """#),
        LogCase(#"{app="sommos", env="staging"} | json | drop __error__="JSONParserErr", __error_details__ | keep app"#, #"""
            {app="sommos"}
              230 {"level":"info","message":"staging ok","statusCode":200,"durationMs":28}
              170 not json at all
              110 {"level":"info","message":"staging ok","statusCode":200,"durationMs":14}
              50 {"level":"info","message":"staging ok","statusCode":200,"durationMs":7}
            """#),
        LogCase(#"{app="legacy"} | json |"#, #"error: parse error"#),
        LogCase(#"{app="legacy"} | unknown"#, #"error: parse error"#),
        LogCase(#"{app=~".*"}"#, #"error: parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value"#),
        LogCase(#"{app="legacy"} | label_format __error__="x""#, #"error: "#),
        LogCase(#"{app="legacy"} | regexp "(?P<a>x""#, #"error: "#),
        LogCase(#"{app="legacy"} | line_format "{{.app""#, #"error: "#),
        LogCase(#"{app="legacy"} | label_format a=b, a=c"#, #"error: "#),
    ]

    static let conformance: [LogCase] = table1 + table2 + table3 + table4 + table5
}
