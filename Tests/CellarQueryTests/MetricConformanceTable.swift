// Conformance table for metric queries over fixtures/logql/sommos-logql.json.
// Expected results were worked out from Loki's semantics (windows (t − range, t], no zero
// fill, grouping at extraction, Loki's vector matching) independently of this engine.
// Format: one line per series, `{labels} <seconds after base>:<value> …` for range queries,
// `{labels} <value>` for instant ones, `scalar <value>`, or `error: <message prefix>`.

extension MetricCase {
    static let table1: [MetricCase] = [
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:6 120:6 180:6 240:6
            """#),
        MetricCase(#"count_over_time({app="sommos"}[1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="dev", service="api"} 60:3 120:3 180:3 240:3
            {app="sommos", env="prod", service="api"} 60:6 120:6 180:6 240:6
            {app="sommos", env="prod", service="worker"} 60:3 120:3 180:3 240:3
            {app="sommos", env="staging", service="api"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"count_over_time({app=~".+"}[1m])"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod"} 60:1 120:1 180:1 240:1
            {app="legacy", env="prod", trace_id="abc"} 120:1
            {app="legacy", env="prod", trace_id="def"} 240:1
            {app="sommos", env="dev", service="api"} 60:3 120:3 180:3 240:3
            {app="sommos", env="prod", service="api"} 60:6 120:6 180:6 240:6
            {app="sommos", env="prod", service="worker"} 60:3 120:3 180:3 240:3
            {app="sommos", env="staging", service="api"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"count_over_time({env="prod"}[30s])"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod"} 120:1 240:1
            {app="sommos", env="prod", service="api"} 60:3 120:3 180:3 240:3
            {app="sommos", env="prod", service="worker"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"count_over_time({app=~"sommos|legacy", env="prod"}[2m])"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod"} 60:1 120:2 180:2 240:2
            {app="legacy", env="prod", trace_id="abc"} 120:1 180:1
            {app="legacy", env="prod", trace_id="def"} 240:1
            {app="sommos", env="prod", service="api"} 60:6 120:12 180:12 240:12
            {app="sommos", env="prod", service="worker"} 60:3 120:6 180:6 240:6
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"} |= "POST" [1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:3 120:3 180:3 240:3
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"} != "wines" [1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:2 120:2 180:2 240:2
            """#),
        MetricCase(#"count_over_time({app="sommos"} |~ "error|warn" [1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="dev", service="api"} 60:1 120:1 180:1 240:1
            {app="sommos", env="prod", service="api"} 60:2 120:2 180:2 240:2
            {app="sommos", env="prod", service="worker"} 120:1 180:1 240:1
            """#),
        MetricCase(#"count_over_time({app="nothing"}[1m])"#, .range(60, 240, 60), ""),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m] offset 1m)"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 120:6 180:6 240:6
            """#),
        MetricCase(#"count_over_time({env="prod"}[1m] offset 30s)"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod"} 60:1 180:2
            {app="legacy", env="prod", trace_id="abc"} 120:1
            {app="legacy", env="prod", trace_id="def"} 240:1
            {app="sommos", env="prod", service="api"} 60:3 120:6 180:6 240:6
            {app="sommos", env="prod", service="worker"} 60:2 120:3 180:3 240:3
            """#),
        MetricCase(#"rate({app="sommos", env="prod", service="api"}[1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:0.1 120:0.1 180:0.1 240:0.1
            """#),
        MetricCase(#"rate({app="sommos", service="worker"}[2m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="worker"} 60:0.025 120:0.05 180:0.05 240:0.05
            """#),
        MetricCase(#"bytes_over_time({app="legacy"}[1m])"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod"} 60:23 120:23 180:23 240:23
            {app="legacy", env="prod", trace_id="abc"} 120:23
            {app="legacy", env="prod", trace_id="def"} 240:23
            """#),
        MetricCase(#"bytes_rate({app="legacy"}[2m])"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod"} 60:0.19166666666666668 120:0.38333333333333336 180:0.38333333333333336 240:0.38333333333333336
            {app="legacy", env="prod", trace_id="abc"} 120:0.19166666666666668 180:0.19166666666666668
            {app="legacy", env="prod", trace_id="def"} 240:0.19166666666666668
            """#),
        MetricCase(#"bytes_over_time({env="dev"} | logfmt | line_format "{{.level}}" [1m])"#, .range(60, 240, 60), #"""
            {app="sommos", duration="12ms", env="dev", level="info", method="GET", msg="wine listed", service="api", status="500"} 120:4
            {app="sommos", duration="15ms", env="dev", level="debug", method="GET", msg="wine listed", service="api", status="200"} 120:5
            {app="sommos", duration="18ms", env="dev", level="error", method="GET", msg="wine listed", service="api", status="200"} 120:5
            {app="sommos", duration="21ms", env="dev", level="info", method="GET", msg="wine listed", service="api", status="200"} 180:4
            {app="sommos", duration="24ms", env="dev", level="debug", method="GET", msg="wine listed", service="api", status="500"} 180:5
            {app="sommos", duration="27ms", env="dev", level="error", method="GET", msg="wine listed", service="api", status="200"} 180:5
            {app="sommos", duration="30ms", env="dev", level="info", method="GET", msg="wine listed", service="api", status="200"} 240:4
            {app="sommos", duration="33ms", env="dev", level="debug", method="GET", msg="wine listed", service="api", status="200"} 240:5
            {app="sommos", duration="36ms", env="dev", level="error", method="GET", msg="wine listed", service="api", status="500"} 240:5
            {app="sommos", duration="3ms", env="dev", level="info", method="GET", msg="wine listed", service="api", status="200"} 60:4
            {app="sommos", duration="6ms", env="dev", level="debug", method="GET", msg="wine listed", service="api", status="200"} 60:5
            {app="sommos", duration="9ms", env="dev", level="error", method="GET", msg="wine listed", service="api", status="200"} 60:5
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m])"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} 6
            """#),
        MetricCase(#"count_over_time({app="sommos"}[1m])"#, .instant(240), #"""
            {app="sommos", env="dev", service="api"} 3
            {app="sommos", env="prod", service="api"} 6
            {app="sommos", env="prod", service="worker"} 3
            {app="sommos", env="staging", service="api"} 1
            """#),
        MetricCase(#"count_over_time({app=~".+"}[1m])"#, .instant(240), #"""
            {app="legacy", env="prod"} 1
            {app="legacy", env="prod", trace_id="def"} 1
            {app="sommos", env="dev", service="api"} 3
            {app="sommos", env="prod", service="api"} 6
            {app="sommos", env="prod", service="worker"} 3
            {app="sommos", env="staging", service="api"} 1
            """#),
        MetricCase(#"count_over_time({env="prod"}[30s])"#, .instant(240), #"""
            {app="legacy", env="prod"} 1
            {app="sommos", env="prod", service="api"} 3
            {app="sommos", env="prod", service="worker"} 1
            """#),
        MetricCase(#"count_over_time({app=~"sommos|legacy", env="prod"}[2m])"#, .instant(240), #"""
            {app="legacy", env="prod"} 2
            {app="legacy", env="prod", trace_id="def"} 1
            {app="sommos", env="prod", service="api"} 12
            {app="sommos", env="prod", service="worker"} 6
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"} |= "POST" [1m])"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} 3
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"} != "wines" [1m])"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} 2
            """#),
        MetricCase(#"count_over_time({app="sommos"} |~ "error|warn" [1m])"#, .instant(240), #"""
            {app="sommos", env="dev", service="api"} 1
            {app="sommos", env="prod", service="api"} 2
            {app="sommos", env="prod", service="worker"} 1
            """#),
        MetricCase(#"count_over_time({app="nothing"}[1m])"#, .instant(240), ""),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m] offset 1m)"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} 6
            """#),
        MetricCase(#"count_over_time({env="prod"}[1m] offset 30s)"#, .instant(240), #"""
            {app="legacy", env="prod", trace_id="def"} 1
            {app="sommos", env="prod", service="api"} 6
            {app="sommos", env="prod", service="worker"} 3
            """#),
        MetricCase(#"rate({app="sommos", env="prod", service="api"}[1m])"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} 0.1
            """#),
        MetricCase(#"rate({app="sommos", service="worker"}[2m])"#, .instant(240), #"""
            {app="sommos", env="prod", service="worker"} 0.05
            """#),
        MetricCase(#"bytes_over_time({app="legacy"}[1m])"#, .instant(240), #"""
            {app="legacy", env="prod"} 23
            {app="legacy", env="prod", trace_id="def"} 23
            """#),
        MetricCase(#"bytes_rate({app="legacy"}[2m])"#, .instant(240), #"""
            {app="legacy", env="prod"} 0.38333333333333336
            {app="legacy", env="prod", trace_id="def"} 0.19166666666666668
            """#),
        MetricCase(#"bytes_over_time({env="dev"} | logfmt | line_format "{{.level}}" [1m])"#, .instant(240), #"""
            {app="sommos", duration="30ms", env="dev", level="info", method="GET", msg="wine listed", service="api", status="200"} 4
            {app="sommos", duration="33ms", env="dev", level="debug", method="GET", msg="wine listed", service="api", status="200"} 5
            {app="sommos", duration="36ms", env="dev", level="error", method="GET", msg="wine listed", service="api", status="500"} 5
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m])"#, .range(30, 240, 30), #"""
            {app="sommos", env="prod", service="api"} 30:3 60:6 90:6 120:6 150:6 180:6 210:6 240:6
            """#),
        MetricCase(#"count_over_time({app="legacy"}[1m])"#, .range(30, 240, 30), #"""
            {app="legacy", env="prod"} 30:1 60:1 120:1 150:2 180:1 240:1
            {app="legacy", env="prod", trace_id="abc"} 90:1 120:1
            {app="legacy", env="prod", trace_id="def"} 210:1 240:1
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m])"#, .range(120, 240, 120), #"""
            {app="sommos", env="prod", service="api"} 120:6 240:6
            """#),
        MetricCase(#"count_over_time({app="legacy"}[30s])"#, .range(120, 240, 120), #"""
            {app="legacy", env="prod"} 120:1 240:1
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m])"#, .range(65, 245, 60), #"""
            {app="sommos", env="prod", service="api"} 65:6 125:6 185:6 245:5
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[10s])"#, .instant(125), #"""
            {app="sommos", env="prod", service="api"} 1
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[5s])"#, .instant(125), #"""
            {app="sommos", env="prod", service="api"} 1
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m])"#, .range(60, 300, 60), #"""
            {app="sommos", env="prod", service="api"} 60:6 120:6 180:6 240:6
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m])"#, .instant(240), tenants: ["other"], ""),
        MetricCase(#"sum(count_over_time({app="sommos"}[5m]))"#, .instant(240), tenants: ["other"], #"""
            {} 3
            """#),
        MetricCase(#"sum by (level) (count_over_time({app="sommos", env="prod", service="api"} | json [1m]))"#, .range(60, 240, 60), #"""
            {level="error"} 60:1 120:1 180:1 240:1
            {level="info"} 60:4 120:4 180:4 240:4
            {level="warn"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (statusCode) (count_over_time({app="sommos", env="prod"} | json [1m]))"#, .range(60, 240, 60), #"""
            {} 60:3 120:3 180:3 240:3
            {statusCode="200"} 60:3 120:3 180:3 240:3
            {statusCode="201"} 60:1 120:1 180:1 240:1
            {statusCode="404"} 60:1 120:1 180:1 240:1
            {statusCode="500"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (level, method) (count_over_time({app="sommos", env="prod", service="api"} | json [1m]))"#, .range(60, 240, 60), #"""
            {level="error", method="POST"} 60:1 120:1 180:1 240:1
            {level="info", method="GET"} 60:2 120:2 180:2 240:2
            {level="info", method="POST"} 60:2 120:2 180:2 240:2
            {level="warn", method="GET"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (level) (count_over_time({app="sommos", env="prod"} | json | level="error" [1m]))"#, .range(60, 240, 60), #"""
            {level="error"} 60:1 120:2 180:2 240:2
            """#),
        MetricCase(#"sum by (statusCode) (count_over_time({app="sommos", env="prod", service="api"} | json | statusCode >= 400 [1m]))"#, .range(60, 240, 60), #"""
            {statusCode="404"} 60:1 120:1 180:1 240:1
            {statusCode="500"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (method) (count_over_time({app="sommos", env="prod", service="api"} | json | durationMs > 50 and method="GET" [1m]))"#, .range(60, 240, 60), #"""
            {method="GET"} 120:1 180:3 240:3
            """#),
        MetricCase(#"sum by (latency) (count_over_time({app="sommos", env="prod", service="api"} | json | latency > 100ms [1m]))"#, .range(60, 240, 60), #"""
            {latency="1.5s"} 60:2 120:2 180:2 240:2
            {latency="250ms"} 60:2 120:2 180:2 240:2
            """#),
        MetricCase(#"sum by (size) (count_over_time({app="sommos", env="prod", service="api"} | json | size >= 1.5KiB [1m]))"#, .range(60, 240, 60), #"""
            {size="1.5KiB"} 60:1 120:2 180:1 240:2
            {size="2KiB"} 60:1 120:2 180:1 240:2
            """#),
        MetricCase(#"sum by (user_role) (count_over_time({app="sommos", env="prod", service="api"} | json [1m]))"#, .range(60, 240, 60), #"""
            {user_role="admin"} 60:2 120:2 180:2 240:2
            {user_role="guest"} 60:4 120:4 180:4 240:4
            """#),
        MetricCase(#"sum by (service_extracted) (count_over_time({app="sommos", env="prod", service="api"} | json [1m]))"#, .range(60, 240, 60), #"""
            {service_extracted="api"} 60:6 120:6 180:6 240:6
            """#),
        MetricCase(#"sum by (lvl) (count_over_time({app="sommos", env="prod", service="api"} | json lvl="level" [1m]))"#, .range(60, 240, 60), #"""
            {lvl="error"} 60:1 120:1 180:1 240:1
            {lvl="info"} 60:4 120:4 180:4 240:4
            {lvl="warn"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum without (app, env, service) (count_over_time({env="dev"} | logfmt | keep level, status [1m]))"#, .range(60, 240, 60), #"""
            {level="debug", status="200"} 60:1 120:1 240:1
            {level="debug", status="500"} 180:1
            {level="error", status="200"} 60:1 120:1 180:1
            {level="error", status="500"} 240:1
            {level="info", status="200"} 60:1 180:1 240:1
            {level="info", status="500"} 120:1
            """#),
        MetricCase(#"sum by (level) (count_over_time({env="dev"} | logfmt [1m]))"#, .range(60, 240, 60), #"""
            {level="debug"} 60:1 120:1 180:1 240:1
            {level="error"} 60:1 120:1 180:1 240:1
            {level="info"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (status) (count_over_time({env="dev"} | logfmt | status >= 500 [2m]))"#, .range(60, 240, 60), #"""
            {status="500"} 120:1 180:2 240:2
            """#),
        MetricCase(#"count_over_time({env="dev"} | logfmt | keep level [1m])"#, .range(60, 240, 60), #"""
            {level="debug"} 60:1 120:1 180:1 240:1
            {level="error"} 60:1 120:1 180:1 240:1
            {level="info"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"count_over_time({env="dev"} | logfmt | level="error" | drop duration, msg, method, level [1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="dev", service="api", status="200"} 60:1 120:1 180:1
            {app="sommos", env="dev", service="api", status="500"} 240:1
            """#),
        MetricCase(#"sum by (lvl) (count_over_time({env="dev"} | logfmt | label_format lvl=level [1m]))"#, .range(60, 240, 60), #"""
            {lvl="debug"} 60:1 120:1 180:1 240:1
            {lvl="error"} 60:1 120:1 180:1 240:1
            {lvl="info"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (trace_id) (count_over_time({app="legacy"}[2m]))"#, .range(60, 240, 60), #"""
            {} 60:1 120:2 180:2 240:2
            {trace_id="abc"} 120:1 180:1
            {trace_id="def"} 240:1
            """#),
    ]

    static let table2: [MetricCase] = [
        MetricCase(#"count_over_time({app="legacy"} | trace_id="abc" [5m])"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod", trace_id="abc"} 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (status) (count_over_time({app="legacy"} | regexp "(?P<method>\\w+) (?P<path>\\S+) (?P<status>\\d+)" [2m]))"#, .range(60, 240, 60), #"""
            {status="200"} 60:1 120:1 180:1 240:1
            {status="304"} 120:1 180:1 240:1
            {status="404"} 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (method, size) (count_over_time({app="legacy"} | pattern "<method> <_> <status> <size>" | status != "404" [2m]))"#, .range(60, 240, 60), #"""
            {method="GET", size="100"} 60:1 120:1
            {method="GET", size="200"} 120:1 180:1
            {method="GET", size="400"} 180:1 240:1
            {method="GET", size="500"} 240:1
            """#),
        MetricCase(#"sum(count_over_time({app="sommos", env="staging"} | json | __error__="" [1m]))"#, .range(60, 240, 60), #"""
            {} 60:1 120:1 240:1
            """#),
        MetricCase(#"sum(count_over_time({app="sommos", env="staging"} | json [1m]))"#, .range(60, 240, 60), #"""
            {} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (level) (count_over_time({app="sommos", env="staging"} | json [1m]))"#, .range(60, 240, 60), #"""
            error: pipeline error: 'JSONParserErr' for series:
            """#),
        MetricCase(#"count_over_time({app="sommos", env="staging"} | json | __error__!="" [1m])"#, .range(60, 240, 60), #"""
            error: pipeline error: 'JSONParserErr' for series:
            """#),
        MetricCase(#"sum by (level) (count_over_time({app="legacy"} | json [1m]))"#, .range(60, 240, 60), #"""
            error: pipeline error: 'JSONParserErr' for series:
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"} | json | drop __error__, __error_details__ [1m]))"#, .range(60, 240, 60), #"""
            {env="dev"} 60:3 120:3 180:3 240:3
            {env="prod"} 60:9 120:9 180:9 240:9
            {env="staging"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (statusCode) (count_over_time({app="sommos", env="staging"} | json | statusCode="200" [1m]))"#, .range(60, 240, 60), #"""
            {statusCode="200"} 60:1 120:1 240:1
            """#),
        MetricCase(#"sum by (level) (count_over_time({app="sommos", env="prod", service="api"} | json [1m]))"#, .instant(240), #"""
            {level="error"} 1
            {level="info"} 4
            {level="warn"} 1
            """#),
        MetricCase(#"sum by (statusCode) (count_over_time({app="sommos", env="prod"} | json [1m]))"#, .instant(240), #"""
            {} 3
            {statusCode="200"} 3
            {statusCode="201"} 1
            {statusCode="404"} 1
            {statusCode="500"} 1
            """#),
        MetricCase(#"sum by (level, method) (count_over_time({app="sommos", env="prod", service="api"} | json [1m]))"#, .instant(240), #"""
            {level="error", method="POST"} 1
            {level="info", method="GET"} 2
            {level="info", method="POST"} 2
            {level="warn", method="GET"} 1
            """#),
        MetricCase(#"sum by (level) (count_over_time({app="sommos", env="prod"} | json | level="error" [1m]))"#, .instant(240), #"""
            {level="error"} 2
            """#),
        MetricCase(#"sum by (statusCode) (count_over_time({app="sommos", env="prod", service="api"} | json | statusCode >= 400 [1m]))"#, .instant(240), #"""
            {statusCode="404"} 1
            {statusCode="500"} 1
            """#),
        MetricCase(#"sum by (method) (count_over_time({app="sommos", env="prod", service="api"} | json | durationMs > 50 and method="GET" [1m]))"#, .instant(240), #"""
            {method="GET"} 3
            """#),
        MetricCase(#"sum by (latency) (count_over_time({app="sommos", env="prod", service="api"} | json | latency > 100ms [1m]))"#, .instant(240), #"""
            {latency="1.5s"} 2
            {latency="250ms"} 2
            """#),
        MetricCase(#"sum by (size) (count_over_time({app="sommos", env="prod", service="api"} | json | size >= 1.5KiB [1m]))"#, .instant(240), #"""
            {size="1.5KiB"} 2
            {size="2KiB"} 2
            """#),
        MetricCase(#"sum by (user_role) (count_over_time({app="sommos", env="prod", service="api"} | json [1m]))"#, .instant(240), #"""
            {user_role="admin"} 2
            {user_role="guest"} 4
            """#),
        MetricCase(#"sum by (service_extracted) (count_over_time({app="sommos", env="prod", service="api"} | json [1m]))"#, .instant(240), #"""
            {service_extracted="api"} 6
            """#),
        MetricCase(#"sum by (lvl) (count_over_time({app="sommos", env="prod", service="api"} | json lvl="level" [1m]))"#, .instant(240), #"""
            {lvl="error"} 1
            {lvl="info"} 4
            {lvl="warn"} 1
            """#),
        MetricCase(#"sum without (app, env, service) (count_over_time({env="dev"} | logfmt | keep level, status [1m]))"#, .instant(240), #"""
            {level="debug", status="200"} 1
            {level="error", status="500"} 1
            {level="info", status="200"} 1
            """#),
        MetricCase(#"sum by (level) (count_over_time({env="dev"} | logfmt [1m]))"#, .instant(240), #"""
            {level="debug"} 1
            {level="error"} 1
            {level="info"} 1
            """#),
        MetricCase(#"sum by (status) (count_over_time({env="dev"} | logfmt | status >= 500 [2m]))"#, .instant(240), #"""
            {status="500"} 2
            """#),
        MetricCase(#"count_over_time({env="dev"} | logfmt | keep level [1m])"#, .instant(240), #"""
            {level="debug"} 1
            {level="error"} 1
            {level="info"} 1
            """#),
        MetricCase(#"count_over_time({env="dev"} | logfmt | level="error" | drop duration, msg, method, level [1m])"#, .instant(240), #"""
            {app="sommos", env="dev", service="api", status="500"} 1
            """#),
        MetricCase(#"sum by (lvl) (count_over_time({env="dev"} | logfmt | label_format lvl=level [1m]))"#, .instant(240), #"""
            {lvl="debug"} 1
            {lvl="error"} 1
            {lvl="info"} 1
            """#),
        MetricCase(#"sum by (trace_id) (count_over_time({app="legacy"}[2m]))"#, .instant(240), #"""
            {} 2
            {trace_id="def"} 1
            """#),
        MetricCase(#"count_over_time({app="legacy"} | trace_id="abc" [5m])"#, .instant(240), #"""
            {app="legacy", env="prod", trace_id="abc"} 1
            """#),
        MetricCase(#"sum by (status) (count_over_time({app="legacy"} | regexp "(?P<method>\\w+) (?P<path>\\S+) (?P<status>\\d+)" [2m]))"#, .instant(240), #"""
            {status="200"} 1
            {status="304"} 1
            {status="404"} 1
            """#),
        MetricCase(#"sum by (method, size) (count_over_time({app="legacy"} | pattern "<method> <_> <status> <size>" | status != "404" [2m]))"#, .instant(240), #"""
            {method="GET", size="400"} 1
            {method="GET", size="500"} 1
            """#),
        MetricCase(#"sum(count_over_time({app="sommos", env="staging"} | json | __error__="" [1m]))"#, .instant(240), #"""
            {} 1
            """#),
        MetricCase(#"sum(count_over_time({app="sommos", env="staging"} | json [1m]))"#, .instant(240), #"""
            {} 1
            """#),
        MetricCase(#"sum by (level) (count_over_time({app="sommos", env="staging"} | json [1m]))"#, .instant(240), #"""
            {level="info"} 1
            """#),
        MetricCase(#"count_over_time({app="sommos", env="staging"} | json | __error__!="" [1m])"#, .instant(240), ""),
        MetricCase(#"sum by (level) (count_over_time({app="legacy"} | json [1m]))"#, .instant(240), #"""
            error: pipeline error: 'JSONParserErr' for series:
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"} | json | drop __error__, __error_details__ [1m]))"#, .instant(240), #"""
            {env="dev"} 3
            {env="prod"} 9
            {env="staging"} 1
            """#),
        MetricCase(#"sum by (statusCode) (count_over_time({app="sommos", env="staging"} | json | statusCode="200" [1m]))"#, .instant(240), #"""
            {statusCode="200"} 1
            """#),
        MetricCase(#"count_over_time({app="sommos", env="staging"} | json [1m])"#, .instant(120), #"""
            {app="sommos", durationMs="14", env="staging", level="info", message="staging ok", service="api", statusCode="200"} 1
            """#),
        MetricCase(#"count_over_time({app="sommos", env="staging"} | json [1m])"#, .range(120, 240, 120), #"""
            {app="sommos", durationMs="14", env="staging", level="info", message="staging ok", service="api", statusCode="200"} 120:1
            {app="sommos", durationMs="28", env="staging", level="info", message="staging ok", service="api", statusCode="200"} 240:1
            """#),
        MetricCase(#"sum(count_over_time({app="sommos", env="staging"} | json [30s]))"#, .range(120, 240, 120), #"""
            {} 120:1 240:1
            """#),
        MetricCase(#"sum by (job) (sum_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]))"#, .range(60, 240, 60), #"""
            {job="backup"} 60:200 120:1000 180:800 240:2200
            {job="sync"} 60:400 120:500 180:1600 240:1100
            """#),
        MetricCase(#"avg_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) by (job)"#, .range(60, 240, 60), #"""
            {job="backup"} 60:200 120:500 180:800 240:1100
            {job="sync"} 60:200 120:500 180:800 240:1100
            """#),
        MetricCase(#"max_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) by (job)"#, .range(60, 240, 60), #"""
            {job="backup"} 60:200 120:600 180:800 240:1200
            {job="sync"} 60:300 120:500 180:900 240:1100
            """#),
        MetricCase(#"min_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) by (job)"#, .range(60, 240, 60), #"""
            {job="backup"} 60:200 120:400 180:800 240:1000
            {job="sync"} 60:100 120:500 180:700 240:1100
            """#),
        MetricCase(#"first_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) by (job)"#, .range(60, 240, 60), #"""
            {job="backup"} 60:200 120:400 180:800 240:1000
            {job="sync"} 60:100 120:500 180:700 240:1100
            """#),
        MetricCase(#"last_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) by (job)"#, .range(60, 240, 60), #"""
            {job="backup"} 60:200 120:600 180:800 240:1200
            {job="sync"} 60:300 120:500 180:900 240:1100
            """#),
        MetricCase(#"stddev_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) by (job)"#, .range(60, 240, 60), #"""
            {job="backup"} 60:0 120:100 180:0 240:100
            {job="sync"} 60:100 120:0 180:100 240:0
            """#),
        MetricCase(#"stdvar_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) by (job)"#, .range(60, 240, 60), #"""
            {job="backup"} 60:0 120:10000 180:0 240:10000
            {job="sync"} 60:10000 120:0 180:10000 240:0
            """#),
        MetricCase(#"quantile_over_time(0.5, {app="sommos", service="worker"} | json | unwrap durationMs [2m]) by (job)"#, .range(60, 240, 60), #"""
            {job="backup"} 60:200 120:400 180:600 240:1000
            {job="sync"} 60:200 120:300 180:700 240:900
            """#),
        MetricCase(#"quantile_over_time(0.9, {app="sommos", service="worker"} | json | unwrap durationMs [2m]) by (job)"#, .range(60, 240, 60), #"""
            {job="backup"} 60:200 120:560 180:760 240:1160
            {job="sync"} 60:280 120:460 180:860 240:1060
            """#),
        MetricCase(#"quantile_over_time(0.99, {app="sommos", service="worker"} | json | unwrap durationMs [4m]) by ()"#, .range(60, 240, 60), #"""
            {} 60:298 120:595 180:892 240:1189
            """#),
        MetricCase(#"max_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) without (app, env, service, level, message, processed)"#, .range(60, 240, 60), #"""
            {job="backup"} 60:200 120:600 180:800 240:1200
            {job="sync"} 60:300 120:500 180:900 240:1100
            """#),
        MetricCase(#"sum by (job) (rate({app="sommos", service="worker"} | json | unwrap durationMs [1m]))"#, .range(60, 240, 60), #"""
            {job="backup"} 60:3.3333333333333335 120:16.666666666666668 180:13.333333333333334 240:36.666666666666664
            {job="sync"} 60:6.666666666666667 120:8.333333333333334 180:26.666666666666668 240:18.333333333333332
            """#),
        MetricCase(#"rate_counter({app="sommos", service="worker"} | json | keep processed | unwrap processed [2m])"#, .range(60, 240, 60), #"""
            {} 60:0.25 120:0.5 180:0.45 240:0.5
            """#),
        MetricCase(#"rate_counter({app="sommos", service="worker"} | json | keep processed | unwrap processed [4m])"#, .range(60, 240, 60), #"""
            {} 60:0.125 120:0.25 180:0.3515625 240:0.47727272727272724
            """#),
        MetricCase(#"sum by (method) (sum_over_time({app="sommos", env="prod", service="api"} | json | unwrap bytes(size) [1m]))"#, .range(60, 240, 60), #"""
            {method="GET"} 60:3072 120:4608 180:3072 240:4608
            {method="POST"} 60:3584 120:4096 180:3584 240:4096
            """#),
        MetricCase(#"max_over_time({app="sommos", env="prod", service="api"} | json | unwrap duration(latency) [1m]) by (method)"#, .range(60, 240, 60), #"""
            {method="GET"} 60:1.5 120:1.5 180:1.5 240:1.5
            {method="POST"} 60:1.5 120:1.5 180:1.5 240:1.5
            """#),
        MetricCase(#"avg_over_time({app="sommos", env="prod", service="api"} | json | unwrap duration_seconds(latency) [2m]) by (path)"#, .range(60, 240, 60), #"""
            {path="/api/cellar"} 60:1.5 120:1.5 180:1.5 240:1.5
            {path="/api/wines"} 60:0.25 120:0.25 180:0.25 240:0.25
            {path="/api/wines/42"} 60:0.08 120:0.08 180:0.08 240:0.08
            """#),
        MetricCase(#"sum_over_time({app="sommos", env="prod", service="api"} | json | unwrap path [1m])"#, .range(60, 240, 60), #"""
            error: pipeline error: 'SampleExtractionErr' for series:
            """#),
    ]

    static let table3: [MetricCase] = [
        MetricCase(#"sum_over_time({app="sommos", env="prod", service="api"} | json | unwrap path | __error__="" [1m])"#, .range(60, 240, 60), ""),
        MetricCase(#"sum by (job) (sum_over_time({app="sommos", env="prod"} | json | unwrap processed [1m]))"#, .range(60, 240, 60), #"""
            {job="backup"} 60:20 120:100 180:15 240:90
            {job="sync"} 60:40 120:50 180:30 240:45
            """#),
        MetricCase(#"max_over_time({app="sommos", service="worker"} | json | unwrap durationMs | durationMs < 600 [2m]) by (job)"#, .range(60, 240, 60), #"""
            {job="backup"} 60:200 120:400 180:400
            {job="sync"} 60:300 120:500 180:500
            """#),
        MetricCase(#"avg_over_time({app="sommos", env="prod", service="api"} | json | keep method, durationMs | unwrap durationMs [1m])"#, .range(60, 240, 60), #"""
            {method="GET"} 60:20 120:50 180:80 240:110
            {method="POST"} 60:25 120:55 180:85 240:115
            """#),
        MetricCase(#"sum by (job) (sum_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]))"#, .instant(240), #"""
            {job="backup"} 2200
            {job="sync"} 1100
            """#),
        MetricCase(#"avg_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) by (job)"#, .instant(240), #"""
            {job="backup"} 1100
            {job="sync"} 1100
            """#),
        MetricCase(#"max_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) by (job)"#, .instant(240), #"""
            {job="backup"} 1200
            {job="sync"} 1100
            """#),
        MetricCase(#"min_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) by (job)"#, .instant(240), #"""
            {job="backup"} 1000
            {job="sync"} 1100
            """#),
        MetricCase(#"first_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) by (job)"#, .instant(240), #"""
            {job="backup"} 1000
            {job="sync"} 1100
            """#),
        MetricCase(#"last_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) by (job)"#, .instant(240), #"""
            {job="backup"} 1200
            {job="sync"} 1100
            """#),
        MetricCase(#"stddev_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) by (job)"#, .instant(240), #"""
            {job="backup"} 100
            {job="sync"} 0
            """#),
        MetricCase(#"stdvar_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) by (job)"#, .instant(240), #"""
            {job="backup"} 10000
            {job="sync"} 0
            """#),
        MetricCase(#"quantile_over_time(0.5, {app="sommos", service="worker"} | json | unwrap durationMs [2m]) by (job)"#, .instant(240), #"""
            {job="backup"} 1000
            {job="sync"} 900
            """#),
        MetricCase(#"quantile_over_time(0.9, {app="sommos", service="worker"} | json | unwrap durationMs [2m]) by (job)"#, .instant(240), #"""
            {job="backup"} 1160
            {job="sync"} 1060
            """#),
        MetricCase(#"quantile_over_time(0.99, {app="sommos", service="worker"} | json | unwrap durationMs [4m]) by ()"#, .instant(240), #"""
            {} 1189
            """#),
        MetricCase(#"max_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m]) without (app, env, service, level, message, processed)"#, .instant(240), #"""
            {job="backup"} 1200
            {job="sync"} 1100
            """#),
        MetricCase(#"sum by (job) (rate({app="sommos", service="worker"} | json | unwrap durationMs [1m]))"#, .instant(240), #"""
            {job="backup"} 36.666666666666664
            {job="sync"} 18.333333333333332
            """#),
        MetricCase(#"rate_counter({app="sommos", service="worker"} | json | keep processed | unwrap processed [2m])"#, .instant(240), #"""
            {} 0.5
            """#),
        MetricCase(#"rate_counter({app="sommos", service="worker"} | json | keep processed | unwrap processed [4m])"#, .instant(240), #"""
            {} 0.47727272727272724
            """#),
        MetricCase(#"sum by (method) (sum_over_time({app="sommos", env="prod", service="api"} | json | unwrap bytes(size) [1m]))"#, .instant(240), #"""
            {method="GET"} 4608
            {method="POST"} 4096
            """#),
        MetricCase(#"max_over_time({app="sommos", env="prod", service="api"} | json | unwrap duration(latency) [1m]) by (method)"#, .instant(240), #"""
            {method="GET"} 1.5
            {method="POST"} 1.5
            """#),
        MetricCase(#"avg_over_time({app="sommos", env="prod", service="api"} | json | unwrap duration_seconds(latency) [2m]) by (path)"#, .instant(240), #"""
            {path="/api/cellar"} 1.5
            {path="/api/wines"} 0.25
            {path="/api/wines/42"} 0.08
            """#),
        MetricCase(#"sum_over_time({app="sommos", env="prod", service="api"} | json | unwrap path [1m])"#, .instant(240), #"""
            error: pipeline error: 'SampleExtractionErr' for series:
            """#),
        MetricCase(#"sum_over_time({app="sommos", env="prod", service="api"} | json | unwrap path | __error__="" [1m])"#, .instant(240), ""),
        MetricCase(#"sum by (job) (sum_over_time({app="sommos", env="prod"} | json | unwrap processed [1m]))"#, .instant(240), #"""
            {job="backup"} 90
            {job="sync"} 45
            """#),
        MetricCase(#"max_over_time({app="sommos", service="worker"} | json | unwrap durationMs | durationMs < 600 [2m]) by (job)"#, .instant(240), ""),
        MetricCase(#"avg_over_time({app="sommos", env="prod", service="api"} | json | keep method, durationMs | unwrap durationMs [1m])"#, .instant(240), #"""
            {method="GET"} 110
            {method="POST"} 115
            """#),
        MetricCase(#"absent_over_time({app="nothing"}[1m])"#, .range(60, 240, 60), #"""
            {app="nothing"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"absent_over_time({app="sommos", env="staging"}[30s])"#, .range(60, 240, 60), ""),
        MetricCase(#"absent_over_time({app="nothing"}[1m])"#, .instant(240), #"""
            {app="nothing"} 1
            """#),
        MetricCase(#"absent_over_time({app="sommos", env="staging"}[30s])"#, .instant(240), ""),
        MetricCase(#"absent_over_time({app="nothing"}[1m])"#, .range(60, 300, 60), #"""
            {app="nothing"} 60:1 120:1 180:1 240:1 300:1
            """#),
        MetricCase(#"absent_over_time({app="sommos", env="staging"}[30s])"#, .range(60, 300, 60), #"""
            {app="sommos", env="staging"} 300:1
            """#),
        MetricCase(#"absent_over_time({app="sommos", env="staging"}[1m])"#, .range(60, 300, 60), #"""
            {app="sommos", env="staging"} 300:1
            """#),
        MetricCase(#"absent_over_time({app=~"no.*", env="x"}[1m])"#, .instant(240), #"""
            {env="x"} 1
            """#),
        MetricCase(#"absent_over_time({app="nothing", env="x", env!="y"}[1m])"#, .instant(240), #"""
            {app="nothing"} 1
            """#),
        MetricCase(#"absent_over_time({app="sommos", env="prod", service="api"} |= "nothing" [1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"absent_over_time({app="sommos", env="prod", service="api"} | json | durationMs > 100 [1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:1 120:1 180:1
            """#),
        MetricCase(#"absent_over_time({app="sommos", env="staging"} | json [1m])"#, .range(60, 240, 60), ""),
        MetricCase(#"absent_over_time({app="sommos", env="staging"} | json | level="info" [1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="staging"} 180:1
            """#),
        MetricCase(#"sum(count_over_time({app=~".+"}[1m]))"#, .range(60, 240, 60), #"""
            {} 60:14 120:15 180:14 240:15
            """#),
        MetricCase(#"sum by (env) (count_over_time({app=~".+"}[1m]))"#, .range(60, 240, 60), #"""
            {env="dev"} 60:3 120:3 180:3 240:3
            {env="prod"} 60:10 120:11 180:10 240:11
            {env="staging"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum(count_over_time({app=~".+"}[1m])) by (app, env)"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod"} 60:1 120:2 180:1 240:2
            {app="sommos", env="dev"} 60:3 120:3 180:3 240:3
            {app="sommos", env="prod"} 60:9 120:9 180:9 240:9
            {app="sommos", env="staging"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum without (service, trace_id) (count_over_time({app=~".+"}[1m]))"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod"} 60:1 120:2 180:1 240:2
            {app="sommos", env="dev"} 60:3 120:3 180:3 240:3
            {app="sommos", env="prod"} 60:9 120:9 180:9 240:9
            {app="sommos", env="staging"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"avg by (app) (count_over_time({app=~".+"}[1m]))"#, .range(60, 240, 60), #"""
            {app="legacy"} 60:1 120:1 180:1 240:1
            {app="sommos"} 60:3.25 120:3.25 180:3.25 240:3.25
            """#),
        MetricCase(#"count by (env) (count_over_time({app=~".+"}[1m]))"#, .range(60, 240, 60), #"""
            {env="dev"} 60:1 120:1 180:1 240:1
            {env="prod"} 60:3 120:4 180:3 240:4
            {env="staging"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"max(count_over_time({app=~".+"}[1m]))"#, .range(60, 240, 60), #"""
            {} 60:6 120:6 180:6 240:6
            """#),
        MetricCase(#"min by (env) (count_over_time({app=~".+"}[1m]))"#, .range(60, 240, 60), #"""
            {env="dev"} 60:3 120:3 180:3 240:3
            {env="prod"} 60:1 120:1 180:1 240:1
            {env="staging"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"stddev(sum by (service) (count_over_time({app=~".+"}[1m])))"#, .range(60, 240, 60), #"""
            {} 60:3.8586123009300755 120:3.559026084010437 180:3.8586123009300755 240:3.559026084010437
            """#),
        MetricCase(#"stdvar(sum by (env) (count_over_time({app=~".+"}[1m])))"#, .range(60, 240, 60), #"""
            {} 60:14.888888888888891 120:18.666666666666668 180:14.888888888888891 240:18.666666666666668
            """#),
        MetricCase(#"topk(2, count_over_time({app=~".+"}[1m]))"#, .range(60, 240, 60), #"""
            {app="sommos", env="dev", service="api"} 60:3 120:3 180:3 240:3
            {app="sommos", env="prod", service="api"} 60:6 120:6 180:6 240:6
            """#),
        MetricCase(#"bottomk(2, count_over_time({app=~".+"}[1m]))"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod"} 60:1 120:1 180:1 240:1
            {app="legacy", env="prod", trace_id="abc"} 120:1
            {app="legacy", env="prod", trace_id="def"} 240:1
            {app="sommos", env="staging", service="api"} 60:1 180:1
            """#),
        MetricCase(#"topk by (env) (1, count_over_time({app=~".+"}[1m]))"#, .range(60, 240, 60), #"""
            {app="sommos", env="dev", service="api"} 60:3 120:3 180:3 240:3
            {app="sommos", env="prod", service="api"} 60:6 120:6 180:6 240:6
            {app="sommos", env="staging", service="api"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"topk(10, count_over_time({app=~".+"}[1m]))"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod"} 60:1 120:1 180:1 240:1
            {app="legacy", env="prod", trace_id="abc"} 120:1
            {app="legacy", env="prod", trace_id="def"} 240:1
            {app="sommos", env="dev", service="api"} 60:3 120:3 180:3 240:3
            {app="sommos", env="prod", service="api"} 60:6 120:6 180:6 240:6
            {app="sommos", env="prod", service="worker"} 60:3 120:3 180:3 240:3
            {app="sommos", env="staging", service="api"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum(sum by (env) (count_over_time({app=~".+"}[1m])))"#, .range(60, 240, 60), #"""
            {} 60:14 120:15 180:14 240:15
            """#),
        MetricCase(#"count(count by (level) (count_over_time({app="sommos", env="prod", service="api"} | json [1m])))"#, .range(60, 240, 60), #"""
            {} 60:3 120:3 180:3 240:3
            """#),
        MetricCase(#"sum by (level) (rate({app="sommos", env="prod"} | json [1m]))"#, .range(60, 240, 60), #"""
            {level="error"} 60:0.016666666666666666 120:0.03333333333333333 180:0.03333333333333333 240:0.03333333333333333
            {level="info"} 60:0.11666666666666667 120:0.1 180:0.1 240:0.1
            {level="warn"} 60:0.016666666666666666 120:0.016666666666666666 180:0.016666666666666666 240:0.016666666666666666
            """#),
        MetricCase(#"avg(bytes_over_time({app="legacy"}[2m]))"#, .range(60, 240, 60), #"""
            {} 60:23 120:34.5 180:34.5 240:34.5
            """#),
        MetricCase(#"max by (env) (sum by (env, service) (count_over_time({app="sommos"}[1m])))"#, .range(60, 240, 60), #"""
            {env="dev"} 60:3 120:3 180:3 240:3
            {env="prod"} 60:6 120:6 180:6 240:6
            {env="staging"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum(count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {} 15
            """#),
    ]

    static let table4: [MetricCase] = [
        MetricCase(#"sum by (env) (count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {env="dev"} 3
            {env="prod"} 11
            {env="staging"} 1
            """#),
        MetricCase(#"sum(count_over_time({app=~".+"}[1m])) by (app, env)"#, .instant(240), #"""
            {app="legacy", env="prod"} 2
            {app="sommos", env="dev"} 3
            {app="sommos", env="prod"} 9
            {app="sommos", env="staging"} 1
            """#),
        MetricCase(#"sum without (service, trace_id) (count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {app="legacy", env="prod"} 2
            {app="sommos", env="dev"} 3
            {app="sommos", env="prod"} 9
            {app="sommos", env="staging"} 1
            """#),
        MetricCase(#"avg by (app) (count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {app="legacy"} 1
            {app="sommos"} 3.25
            """#),
        MetricCase(#"count by (env) (count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {env="dev"} 1
            {env="prod"} 4
            {env="staging"} 1
            """#),
        MetricCase(#"max(count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {} 6
            """#),
        MetricCase(#"min by (env) (count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {env="dev"} 3
            {env="prod"} 1
            {env="staging"} 1
            """#),
        MetricCase(#"stddev(sum by (service) (count_over_time({app=~".+"}[1m])))"#, .instant(240), #"""
            {} 3.559026084010437
            """#),
        MetricCase(#"stdvar(sum by (env) (count_over_time({app=~".+"}[1m])))"#, .instant(240), #"""
            {} 18.666666666666668
            """#),
        MetricCase(#"topk(2, count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {app="sommos", env="dev", service="api"} 3
            {app="sommos", env="prod", service="api"} 6
            """#),
        MetricCase(#"bottomk(2, count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {app="legacy", env="prod"} 1
            {app="legacy", env="prod", trace_id="def"} 1
            """#),
        MetricCase(#"topk by (env) (1, count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {app="sommos", env="dev", service="api"} 3
            {app="sommos", env="prod", service="api"} 6
            {app="sommos", env="staging", service="api"} 1
            """#),
        MetricCase(#"topk(10, count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {app="legacy", env="prod"} 1
            {app="legacy", env="prod", trace_id="def"} 1
            {app="sommos", env="dev", service="api"} 3
            {app="sommos", env="prod", service="api"} 6
            {app="sommos", env="prod", service="worker"} 3
            {app="sommos", env="staging", service="api"} 1
            """#),
        MetricCase(#"sum(sum by (env) (count_over_time({app=~".+"}[1m])))"#, .instant(240), #"""
            {} 15
            """#),
        MetricCase(#"count(count by (level) (count_over_time({app="sommos", env="prod", service="api"} | json [1m])))"#, .instant(240), #"""
            {} 3
            """#),
        MetricCase(#"sum by (level) (rate({app="sommos", env="prod"} | json [1m]))"#, .instant(240), #"""
            {level="error"} 0.03333333333333333
            {level="info"} 0.1
            {level="warn"} 0.016666666666666666
            """#),
        MetricCase(#"avg(bytes_over_time({app="legacy"}[2m]))"#, .instant(240), #"""
            {} 34.5
            """#),
        MetricCase(#"max by (env) (sum by (env, service) (count_over_time({app="sommos"}[1m])))"#, .instant(240), #"""
            {env="dev"} 3
            {env="prod"} 6
            {env="staging"} 1
            """#),
        MetricCase(#"sort(count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {app="legacy", env="prod"} 1
            {app="legacy", env="prod", trace_id="def"} 1
            {app="sommos", env="staging", service="api"} 1
            {app="sommos", env="dev", service="api"} 3
            {app="sommos", env="prod", service="worker"} 3
            {app="sommos", env="prod", service="api"} 6
            """#),
        MetricCase(#"sort_desc(count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} 6
            {app="sommos", env="dev", service="api"} 3
            {app="sommos", env="prod", service="worker"} 3
            {app="legacy", env="prod"} 1
            {app="legacy", env="prod", trace_id="def"} 1
            {app="sommos", env="staging", service="api"} 1
            """#),
        MetricCase(#"sort(count_over_time({app=~".+"}[1m]))"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod"} 60:1 120:1 180:1 240:1
            {app="legacy", env="prod", trace_id="abc"} 120:1
            {app="legacy", env="prod", trace_id="def"} 240:1
            {app="sommos", env="dev", service="api"} 60:3 120:3 180:3 240:3
            {app="sommos", env="prod", service="api"} 60:6 120:6 180:6 240:6
            {app="sommos", env="prod", service="worker"} 60:3 120:3 180:3 240:3
            {app="sommos", env="staging", service="api"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sort_desc(sum by (env) (count_over_time({app=~".+"}[1m])))"#, .instant(240), #"""
            {env="prod"} 11
            {env="dev"} 3
            {env="staging"} 1
            """#),
        MetricCase(#"sort(sum by (env) (count_over_time({app=~".+"}[1m]))) * 2"#, .instant(240), #"""
            {env="staging"} 2
            {env="dev"} 6
            {env="prod"} 22
            """#),
        MetricCase(#"topk(1, sum by (level) (count_over_time({app="sommos", env="prod", service="api"} | json [2m])))"#, .range(60, 240, 60), #"""
            {level="info"} 60:4 120:8 180:8 240:8
            """#),
        MetricCase(#"1 + 1"#, .range(60, 240, 60), #"""
            {} 60:2 120:2 180:2 240:2
            """#),
        MetricCase(#"2 * 3 - 1"#, .range(60, 240, 60), #"""
            {} 60:5 120:5 180:5 240:5
            """#),
        MetricCase(#"2 ^ 3 ^ 2"#, .range(60, 240, 60), #"""
            {} 60:512 120:512 180:512 240:512
            """#),
        MetricCase(#"7 % 3"#, .range(60, 240, 60), #"""
            {} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"1 / 0"#, .range(60, 240, 60), #"""
            {} 60:NaN 120:NaN 180:NaN 240:NaN
            """#),
        MetricCase(#"0.1 + 0.2"#, .range(60, 240, 60), #"""
            {} 60:0.30000000000000004 120:0.30000000000000004 180:0.30000000000000004 240:0.30000000000000004
            """#),
        MetricCase(#"vector(1) + vector(1)"#, .range(60, 240, 60), #"""
            {} 60:2 120:2 180:2 240:2
            """#),
        MetricCase(#"vector(2.5)"#, .range(60, 240, 60), #"""
            {} 60:2.5 120:2.5 180:2.5 240:2.5
            """#),
        MetricCase(#"vector(1) * 3"#, .range(60, 240, 60), #"""
            {} 60:3 120:3 180:3 240:3
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m]) * 2"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:12 120:12 180:12 240:12
            """#),
        MetricCase(#"2 * count_over_time({app="sommos", env="prod", service="api"}[1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:12 120:12 180:12 240:12
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m]) / 60"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:0.1 120:0.1 180:0.1 240:0.1
            """#),
        MetricCase(#"10 - count_over_time({app="sommos", env="prod", service="api"}[1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:4 120:4 180:4 240:4
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m]) % 4"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:2 120:2 180:2 240:2
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m]) ^ 2"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:36 120:36 180:36 240:36
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m]) / 0"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:NaN 120:NaN 180:NaN 240:NaN
            """#),
        MetricCase(#"count_over_time({app=~".+"}[1m]) > 2"#, .range(60, 240, 60), #"""
            {app="sommos", env="dev", service="api"} 60:3 120:3 180:3 240:3
            {app="sommos", env="prod", service="api"} 60:6 120:6 180:6 240:6
            {app="sommos", env="prod", service="worker"} 60:3 120:3 180:3 240:3
            """#),
        MetricCase(#"count_over_time({app=~".+"}[1m]) > bool 2"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod"} 60:0 120:0 180:0 240:0
            {app="legacy", env="prod", trace_id="abc"} 120:0
            {app="legacy", env="prod", trace_id="def"} 240:0
            {app="sommos", env="dev", service="api"} 60:1 120:1 180:1 240:1
            {app="sommos", env="prod", service="api"} 60:1 120:1 180:1 240:1
            {app="sommos", env="prod", service="worker"} 60:1 120:1 180:1 240:1
            {app="sommos", env="staging", service="api"} 60:0 120:0 180:0 240:0
            """#),
        MetricCase(#"2 < count_over_time({app=~".+"}[1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="dev", service="api"} 60:3 120:3 180:3 240:3
            {app="sommos", env="prod", service="api"} 60:6 120:6 180:6 240:6
            {app="sommos", env="prod", service="worker"} 60:3 120:3 180:3 240:3
            """#),
        MetricCase(#"2 >= bool count_over_time({app=~".+"}[1m])"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod"} 60:1 120:1 180:1 240:1
            {app="legacy", env="prod", trace_id="abc"} 120:1
            {app="legacy", env="prod", trace_id="def"} 240:1
            {app="sommos", env="dev", service="api"} 60:0 120:0 180:0 240:0
            {app="sommos", env="prod", service="api"} 60:0 120:0 180:0 240:0
            {app="sommos", env="prod", service="worker"} 60:0 120:0 180:0 240:0
            {app="sommos", env="staging", service="api"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"count_over_time({app=~".+"}[1m]) == 3"#, .range(60, 240, 60), #"""
            {app="sommos", env="dev", service="api"} 60:3 120:3 180:3 240:3
            {app="sommos", env="prod", service="worker"} 60:3 120:3 180:3 240:3
            """#),
        MetricCase(#"count_over_time({app=~".+"}[1m]) != 1"#, .range(60, 240, 60), #"""
            {app="sommos", env="dev", service="api"} 60:3 120:3 180:3 240:3
            {app="sommos", env="prod", service="api"} 60:6 120:6 180:6 240:6
            {app="sommos", env="prod", service="worker"} 60:3 120:3 180:3 240:3
            """#),
        MetricCase(#"1 + count_over_time({app="sommos", env="prod", service="api"}[1m]) * 2"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:13 120:13 180:13 240:13
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m]) / count_over_time({app="sommos", env="prod", service="api"}[1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="api"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) - sum by (env) (count_over_time({app="sommos"}[1m]))"#, .range(60, 240, 60), #"""
            {env="dev"} 60:0 120:0 180:0 240:0
            {env="prod"} 60:0 120:0 180:0 240:0
            {env="staging"} 60:0 120:0 180:0 240:0
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) / on(env) sum by (env) (count_over_time({app=~".+"}[1m]))"#, .range(60, 240, 60), #"""
            {env="dev"} 60:1 120:1 180:1 240:1
            {env="prod"} 60:0.9 120:0.8181818181818182 180:0.9 240:0.8181818181818182
            {env="staging"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (env, service) (count_over_time({app="sommos"}[1m])) / ignoring(service) sum by (env) (count_over_time({app="sommos"}[1m]))"#, .range(60, 240, 60), #"""
            error: multiple matches for labels: many-to-one matching must be explicit
            """#),
        MetricCase(#"sum by (env, service) (count_over_time({app="sommos"}[1m])) / ignoring(service) group_left sum by (env) (count_over_time({app="sommos"}[1m]))"#, .range(60, 240, 60), #"""
            {env="dev", service="api"} 60:1 120:1 180:1 240:1
            {env="prod", service="api"} 60:0.6666666666666666 120:0.6666666666666666 180:0.6666666666666666 240:0.6666666666666666
            {env="prod", service="worker"} 60:0.3333333333333333 120:0.3333333333333333 180:0.3333333333333333 240:0.3333333333333333
            {env="staging", service="api"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (env, service) (count_over_time({app="sommos"}[1m])) / on(env) group_left sum by (env) (count_over_time({app="sommos"}[1m]))"#, .range(60, 240, 60), #"""
            {env="dev", service="api"} 60:1 120:1 180:1 240:1
            {env="prod", service="api"} 60:0.6666666666666666 120:0.6666666666666666 180:0.6666666666666666 240:0.6666666666666666
            {env="prod", service="worker"} 60:0.3333333333333333 120:0.3333333333333333 180:0.3333333333333333 240:0.3333333333333333
            {env="staging", service="api"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) * on(env) group_right sum by (env, service) (count_over_time({app="sommos"}[1m]))"#, .range(60, 240, 60), #"""
            {env="dev", service="api"} 60:9 120:9 180:9 240:9
            {env="prod", service="api"} 60:54 120:54 180:54 240:54
            {env="prod", service="worker"} 60:27 120:27 180:27 240:27
            {env="staging", service="api"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (env, service) (count_over_time({app="sommos"}[1m])) + on(env) group_left(app) sum by (env, app) (count_over_time({app="sommos"}[1m]))"#, .range(60, 240, 60), #"""
            {app="sommos", env="dev", service="api"} 60:6 120:6 180:6 240:6
            {app="sommos", env="prod", service="api"} 60:15 120:15 180:15 240:15
            {app="sommos", env="prod", service="worker"} 60:12 120:12 180:12 240:12
            {app="sommos", env="staging", service="api"} 60:2 120:2 180:2 240:2
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) / on(env) sum by (env, service) (count_over_time({app="sommos"}[1m]))"#, .range(60, 240, 60), #"""
            error: found duplicate series on the right hand-side
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) / on() sum by (env) (count_over_time({app="sommos"}[1m]))"#, .range(60, 240, 60), #"""
            error: found duplicate series on the right hand-side
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) > sum by (env) (count_over_time({app="sommos"}[30s]))"#, .range(60, 240, 60), #"""
            {env="dev"} 60:3 120:3 180:3 240:3
            {env="prod"} 60:9 120:9 180:9 240:9
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) > bool sum by (env) (count_over_time({app="sommos"}[30s]))"#, .range(60, 240, 60), #"""
            {env="dev"} 60:1 120:1 180:1 240:1
            {env="prod"} 60:1 120:1 180:1 240:1
            {env="staging"} 60:0 120:0 180:0 240:0
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) == bool on(env) sum by (env) (count_over_time({app="sommos"}[30s]))"#, .range(60, 240, 60), #"""
            {env="dev"} 60:0 120:0 180:0 240:0
            {env="prod"} 60:0 120:0 180:0 240:0
            {env="staging"} 60:1 120:1 180:1 240:1
            """#),
    ]

    static let table5: [MetricCase] = [
        MetricCase(#"count_over_time({app="sommos"}[1m]) and count_over_time({service="api"}[1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="dev", service="api"} 60:3 120:3 180:3 240:3
            {app="sommos", env="prod", service="api"} 60:6 120:6 180:6 240:6
            {app="sommos", env="staging", service="api"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"count_over_time({app="sommos"}[1m]) unless count_over_time({service="api"}[1m])"#, .range(60, 240, 60), #"""
            {app="sommos", env="prod", service="worker"} 60:3 120:3 180:3 240:3
            """#),
        MetricCase(#"count_over_time({env="dev"}[1m]) or count_over_time({app="legacy"}[1m])"#, .range(60, 240, 60), #"""
            {app="legacy", env="prod"} 60:1 120:1 180:1 240:1
            {app="legacy", env="prod", trace_id="abc"} 120:1
            {app="legacy", env="prod", trace_id="def"} 240:1
            {app="sommos", env="dev", service="api"} 60:3 120:3 180:3 240:3
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) or on(env) sum by (env) (count_over_time({app="legacy"}[1m]))"#, .range(60, 240, 60), #"""
            {env="dev"} 60:3 120:3 180:3 240:3
            {env="prod"} 60:9 120:9 180:9 240:9
            {env="staging"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) and on(env) count_over_time({app="legacy"}[1m])"#, .range(60, 240, 60), #"""
            {env="prod"} 60:9 120:9 180:9 240:9
            """#),
        MetricCase(#"sum by (env, service) (count_over_time({app="sommos"}[1m])) unless ignoring(service) sum by (env, service) (count_over_time({service="worker"}[1m]))"#, .range(60, 240, 60), #"""
            {env="dev", service="api"} 60:3 120:3 180:3 240:3
            {env="staging", service="api"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"count_over_time({app="nothing"}[1m]) or sum by (env) (count_over_time({app="sommos"}[1m]))"#, .range(60, 240, 60), #"""
            {env="dev"} 60:3 120:3 180:3 240:3
            {env="prod"} 60:9 120:9 180:9 240:9
            {env="staging"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) and count_over_time({app="nothing"}[1m])"#, .range(60, 240, 60), ""),
        MetricCase(#"vector(1) and sum by (env) (count_over_time({app="sommos"}[1m]))"#, .range(60, 240, 60), ""),
        MetricCase(#"sum(count_over_time({app=~".+"}[1m])) + vector(1)"#, .range(60, 240, 60), #"""
            {} 60:15 120:16 180:15 240:16
            """#),
        MetricCase(#"sum(count_over_time({app="sommos", env="prod", service="api"}[1m])) / sum(count_over_time({app=~".+"}[1m]))"#, .range(60, 240, 60), #"""
            {} 60:0.42857142857142855 120:0.4 180:0.42857142857142855 240:0.4
            """#),
        MetricCase(#"count_over_time({app=~".+"}[1m]) * ignoring(trace_id) count_over_time({app=~".+"}[1m])"#, .range(60, 240, 60), #"""
            error: found duplicate series on the right hand-side
            """#),
        MetricCase(#"1 + 1"#, .instant(240), #"""
            scalar 2
            """#),
        MetricCase(#"2 * 3 - 1"#, .instant(240), #"""
            scalar 5
            """#),
        MetricCase(#"2 ^ 3 ^ 2"#, .instant(240), #"""
            scalar 512
            """#),
        MetricCase(#"7 % 3"#, .instant(240), #"""
            scalar 1
            """#),
        MetricCase(#"1 / 0"#, .instant(240), #"""
            scalar NaN
            """#),
        MetricCase(#"0.1 + 0.2"#, .instant(240), #"""
            scalar 0.30000000000000004
            """#),
        MetricCase(#"vector(1) + vector(1)"#, .instant(240), #"""
            {} 2
            """#),
        MetricCase(#"vector(2.5)"#, .instant(240), #"""
            {} 2.5
            """#),
        MetricCase(#"vector(1) * 3"#, .instant(240), #"""
            {} 3
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m]) * 2"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} 12
            """#),
        MetricCase(#"2 * count_over_time({app="sommos", env="prod", service="api"}[1m])"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} 12
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m]) / 60"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} 0.1
            """#),
        MetricCase(#"10 - count_over_time({app="sommos", env="prod", service="api"}[1m])"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} 4
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m]) % 4"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} 2
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m]) ^ 2"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} 36
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m]) / 0"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} NaN
            """#),
        MetricCase(#"count_over_time({app=~".+"}[1m]) > 2"#, .instant(240), #"""
            {app="sommos", env="dev", service="api"} 3
            {app="sommos", env="prod", service="api"} 6
            {app="sommos", env="prod", service="worker"} 3
            """#),
        MetricCase(#"count_over_time({app=~".+"}[1m]) > bool 2"#, .instant(240), #"""
            {app="legacy", env="prod"} 0
            {app="legacy", env="prod", trace_id="def"} 0
            {app="sommos", env="dev", service="api"} 1
            {app="sommos", env="prod", service="api"} 1
            {app="sommos", env="prod", service="worker"} 1
            {app="sommos", env="staging", service="api"} 0
            """#),
        MetricCase(#"2 < count_over_time({app=~".+"}[1m])"#, .instant(240), #"""
            {app="sommos", env="dev", service="api"} 3
            {app="sommos", env="prod", service="api"} 6
            {app="sommos", env="prod", service="worker"} 3
            """#),
        MetricCase(#"2 >= bool count_over_time({app=~".+"}[1m])"#, .instant(240), #"""
            {app="legacy", env="prod"} 1
            {app="legacy", env="prod", trace_id="def"} 1
            {app="sommos", env="dev", service="api"} 0
            {app="sommos", env="prod", service="api"} 0
            {app="sommos", env="prod", service="worker"} 0
            {app="sommos", env="staging", service="api"} 1
            """#),
        MetricCase(#"count_over_time({app=~".+"}[1m]) == 3"#, .instant(240), #"""
            {app="sommos", env="dev", service="api"} 3
            {app="sommos", env="prod", service="worker"} 3
            """#),
        MetricCase(#"count_over_time({app=~".+"}[1m]) != 1"#, .instant(240), #"""
            {app="sommos", env="dev", service="api"} 3
            {app="sommos", env="prod", service="api"} 6
            {app="sommos", env="prod", service="worker"} 3
            """#),
        MetricCase(#"1 + count_over_time({app="sommos", env="prod", service="api"}[1m]) * 2"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} 13
            """#),
        MetricCase(#"count_over_time({app="sommos", env="prod", service="api"}[1m]) / count_over_time({app="sommos", env="prod", service="api"}[1m])"#, .instant(240), #"""
            {app="sommos", env="prod", service="api"} 1
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) - sum by (env) (count_over_time({app="sommos"}[1m]))"#, .instant(240), #"""
            {env="dev"} 0
            {env="prod"} 0
            {env="staging"} 0
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) / on(env) sum by (env) (count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {env="dev"} 1
            {env="prod"} 0.8181818181818182
            {env="staging"} 1
            """#),
        MetricCase(#"sum by (env, service) (count_over_time({app="sommos"}[1m])) / ignoring(service) sum by (env) (count_over_time({app="sommos"}[1m]))"#, .instant(240), #"""
            error: multiple matches for labels: many-to-one matching must be explicit
            """#),
        MetricCase(#"sum by (env, service) (count_over_time({app="sommos"}[1m])) / ignoring(service) group_left sum by (env) (count_over_time({app="sommos"}[1m]))"#, .instant(240), #"""
            {env="dev", service="api"} 1
            {env="prod", service="api"} 0.6666666666666666
            {env="prod", service="worker"} 0.3333333333333333
            {env="staging", service="api"} 1
            """#),
        MetricCase(#"sum by (env, service) (count_over_time({app="sommos"}[1m])) / on(env) group_left sum by (env) (count_over_time({app="sommos"}[1m]))"#, .instant(240), #"""
            {env="dev", service="api"} 1
            {env="prod", service="api"} 0.6666666666666666
            {env="prod", service="worker"} 0.3333333333333333
            {env="staging", service="api"} 1
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) * on(env) group_right sum by (env, service) (count_over_time({app="sommos"}[1m]))"#, .instant(240), #"""
            {env="dev", service="api"} 9
            {env="prod", service="api"} 54
            {env="prod", service="worker"} 27
            {env="staging", service="api"} 1
            """#),
        MetricCase(#"sum by (env, service) (count_over_time({app="sommos"}[1m])) + on(env) group_left(app) sum by (env, app) (count_over_time({app="sommos"}[1m]))"#, .instant(240), #"""
            {app="sommos", env="dev", service="api"} 6
            {app="sommos", env="prod", service="api"} 15
            {app="sommos", env="prod", service="worker"} 12
            {app="sommos", env="staging", service="api"} 2
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) / on(env) sum by (env, service) (count_over_time({app="sommos"}[1m]))"#, .instant(240), #"""
            error: found duplicate series on the right hand-side
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) / on() sum by (env) (count_over_time({app="sommos"}[1m]))"#, .instant(240), #"""
            error: found duplicate series on the right hand-side
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) > sum by (env) (count_over_time({app="sommos"}[30s]))"#, .instant(240), #"""
            {env="dev"} 3
            {env="prod"} 9
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) > bool sum by (env) (count_over_time({app="sommos"}[30s]))"#, .instant(240), #"""
            {env="dev"} 1
            {env="prod"} 1
            {env="staging"} 0
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) == bool on(env) sum by (env) (count_over_time({app="sommos"}[30s]))"#, .instant(240), #"""
            {env="dev"} 0
            {env="prod"} 0
            {env="staging"} 1
            """#),
        MetricCase(#"count_over_time({app="sommos"}[1m]) and count_over_time({service="api"}[1m])"#, .instant(240), #"""
            {app="sommos", env="dev", service="api"} 3
            {app="sommos", env="prod", service="api"} 6
            {app="sommos", env="staging", service="api"} 1
            """#),
        MetricCase(#"count_over_time({app="sommos"}[1m]) unless count_over_time({service="api"}[1m])"#, .instant(240), #"""
            {app="sommos", env="prod", service="worker"} 3
            """#),
        MetricCase(#"count_over_time({env="dev"}[1m]) or count_over_time({app="legacy"}[1m])"#, .instant(240), #"""
            {app="legacy", env="prod"} 1
            {app="legacy", env="prod", trace_id="def"} 1
            {app="sommos", env="dev", service="api"} 3
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) or on(env) sum by (env) (count_over_time({app="legacy"}[1m]))"#, .instant(240), #"""
            {env="dev"} 3
            {env="prod"} 9
            {env="staging"} 1
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) and on(env) count_over_time({app="legacy"}[1m])"#, .instant(240), #"""
            {env="prod"} 9
            """#),
        MetricCase(#"sum by (env, service) (count_over_time({app="sommos"}[1m])) unless ignoring(service) sum by (env, service) (count_over_time({service="worker"}[1m]))"#, .instant(240), #"""
            {env="dev", service="api"} 3
            {env="staging", service="api"} 1
            """#),
        MetricCase(#"count_over_time({app="nothing"}[1m]) or sum by (env) (count_over_time({app="sommos"}[1m]))"#, .instant(240), #"""
            {env="dev"} 3
            {env="prod"} 9
            {env="staging"} 1
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m])) and count_over_time({app="nothing"}[1m])"#, .instant(240), ""),
        MetricCase(#"vector(1) and sum by (env) (count_over_time({app="sommos"}[1m]))"#, .instant(240), ""),
        MetricCase(#"sum(count_over_time({app=~".+"}[1m])) + vector(1)"#, .instant(240), #"""
            {} 16
            """#),
        MetricCase(#"sum(count_over_time({app="sommos", env="prod", service="api"}[1m])) / sum(count_over_time({app=~".+"}[1m]))"#, .instant(240), #"""
            {} 0.4
            """#),
        MetricCase(#"count_over_time({app=~".+"}[1m]) * ignoring(trace_id) count_over_time({app=~".+"}[1m])"#, .instant(240), #"""
            error: found duplicate series on the right hand-side
            """#),
    ]

    static let table6: [MetricCase] = [
        MetricCase(#"label_replace(sum by (env) (count_over_time({app="sommos"}[1m])), "stage", "$1-x", "env", "(p.*)")"#, .range(60, 240, 60), #"""
            {env="dev"} 60:3 120:3 180:3 240:3
            {env="prod", stage="prod-x"} 60:9 120:9 180:9 240:9
            {env="staging"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"label_replace(sum by (env) (count_over_time({app="sommos"}[1m])), "env", "", "env", "dev")"#, .range(60, 240, 60), #"""
            {} 60:3 120:3 180:3 240:3
            {env="prod"} 60:9 120:9 180:9 240:9
            {env="staging"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"label_replace(sum by (env) (count_over_time({app="sommos"}[1m])), "env", "${1}y", "env", "(.*)d")"#, .range(60, 240, 60), #"""
            {env="dev"} 60:3 120:3 180:3 240:3
            {env="proy"} 60:9 120:9 180:9 240:9
            {env="staging"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"label_replace(sum by (env) (count_over_time({app="sommos"}[1m])), "copy", "$1", "missing", "(.*)")"#, .range(60, 240, 60), #"""
            {env="dev"} 60:3 120:3 180:3 240:3
            {env="prod"} 60:9 120:9 180:9 240:9
            {env="staging"} 60:1 120:1 180:1 240:1
            """#),
        MetricCase(#"label_replace(sum by (env) (count_over_time({app="sommos"}[1m])), "stage", "$1-x", "env", "(p.*)")"#, .instant(240), #"""
            {env="dev"} 3
            {env="prod", stage="prod-x"} 9
            {env="staging"} 1
            """#),
        MetricCase(#"label_replace(sum by (env) (count_over_time({app="sommos"}[1m])), "env", "", "env", "dev")"#, .instant(240), #"""
            {} 3
            {env="prod"} 9
            {env="staging"} 1
            """#),
        MetricCase(#"label_replace(sum by (env) (count_over_time({app="sommos"}[1m])), "env", "${1}y", "env", "(.*)d")"#, .instant(240), #"""
            {env="dev"} 3
            {env="proy"} 9
            {env="staging"} 1
            """#),
        MetricCase(#"label_replace(sum by (env) (count_over_time({app="sommos"}[1m])), "copy", "$1", "missing", "(.*)")"#, .instant(240), #"""
            {env="dev"} 3
            {env="prod"} 9
            {env="staging"} 1
            """#),
        MetricCase(#"sum by (stage) (label_replace(sum by (env) (count_over_time({app="sommos"}[1m])), "stage", "all", "env", ".+"))"#, .range(60, 240, 60), #"""
            {stage="all"} 60:13 120:13 180:13 240:13
            """#),
        MetricCase(#"avg_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m] offset 30s) by (job)"#, .range(30, 240, 30), #"""
            {job="backup"} 60:200 90:200 120:400 150:500 180:700 210:800 240:1000
            {job="sync"} 60:100 90:200 120:400 150:500 180:700 210:800 240:1000
            """#),
        MetricCase(#"sum by (job) (rate({app="sommos", service="worker"} | json | unwrap durationMs [2m]))"#, .range(30, 240, 30), #"""
            {job="backup"} 30:1.6666666666666667 60:1.6666666666666667 90:5 120:10 150:15 180:15 210:20 240:25
            {job="sync"} 30:0.8333333333333334 60:3.3333333333333335 90:7.5 120:7.5 150:12.5 180:17.5 210:22.5 240:22.5
            """#),
        MetricCase(#"rate_counter({app="sommos", service="worker"} | json | keep processed | unwrap processed [90s])"#, .range(30, 240, 30), #"""
            {} 30:0.16666666666666666 60:0.3333333333333333 90:0.5 120:0.5 150:0.4375 180:0.4166666666666667 210:0.5 240:0.5
            """#),
        MetricCase(#"quantile_over_time(0.5, {app="sommos", env="prod", service="api"} | json | unwrap durationMs [1m]) by (method)"#, .range(30, 240, 30), #"""
            {method="GET"} 30:15 60:20 90:40 120:50 150:70 180:80 210:100 240:110
            {method="POST"} 30:15 60:25 90:35 120:55 150:65 180:85 210:95 240:115
            """#),
        MetricCase(#"last_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m] offset 1m) by (job)"#, .range(30, 240, 30), #"""
            {job="backup"} 90:200 120:200 150:400 180:600 210:800 240:800
            {job="sync"} 90:100 120:300 150:500 180:500 210:700 240:900
            """#),
        MetricCase(#"first_over_time({app="sommos", env="prod", service="api"} | json | unwrap durationMs [45s]) by (path)"#, .range(30, 240, 30), #"""
            {path="/api/cellar"} 30:15 60:30 90:45 120:60 150:75 180:90 210:105 240:120
            {path="/api/wines"} 30:10 60:25 90:40 120:55 150:70 180:85 210:100 240:115
            {path="/api/wines/42"} 30:20 60:20 90:35 120:50 150:65 180:80 210:95 240:110
            """#),
        MetricCase(#"bytes_rate({env="dev"}[45s])"#, .range(30, 240, 30), #"""
            {app="sommos", env="dev", service="api"} 30:1.4 60:2.8444444444444446 90:2.8444444444444446 120:2.888888888888889 150:2.8666666666666667 180:2.888888888888889 210:2.8666666666666667 240:2.888888888888889
            """#),
        MetricCase(#"topk(1, count_over_time({app=~".+", app!~"legacy"}[1m]))"#, .range(30, 240, 30), #"""
            {app="sommos", env="prod", service="api"} 30:3 60:6 90:6 120:6 150:6 180:6 210:6 240:6
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m] offset 30s)) - sum by (env) (count_over_time({app="sommos"}[1m]))"#, .range(30, 240, 30), #"""
            {env="dev"} 60:-2 90:0 120:0 150:0 180:0 210:0 240:0
            {env="prod"} 60:-4 90:0 120:0 150:0 180:0 210:0 240:0
            {env="staging"} 90:0 120:0 150:0 180:0 210:0 240:0
            """#),
        MetricCase(#"absent_over_time({app="legacy"}[30s])"#, .range(30, 240, 30), #"""
            {app="legacy"} 60:1 180:1
            """#),
        MetricCase(#"avg_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m] offset 30s) by (job)"#, .range(120, 240, 120), #"""
            {job="backup"} 120:400 240:1000
            {job="sync"} 120:400 240:1000
            """#),
        MetricCase(#"sum by (job) (rate({app="sommos", service="worker"} | json | unwrap durationMs [2m]))"#, .range(120, 240, 120), #"""
            {job="backup"} 120:10 240:25
            {job="sync"} 120:7.5 240:22.5
            """#),
        MetricCase(#"rate_counter({app="sommos", service="worker"} | json | keep processed | unwrap processed [90s])"#, .range(120, 240, 120), #"""
            {} 120:0.5 240:0.5
            """#),
        MetricCase(#"quantile_over_time(0.5, {app="sommos", env="prod", service="api"} | json | unwrap durationMs [1m]) by (method)"#, .range(120, 240, 120), #"""
            {method="GET"} 120:50 240:110
            {method="POST"} 120:55 240:115
            """#),
        MetricCase(#"last_over_time({app="sommos", service="worker"} | json | unwrap durationMs [1m] offset 1m) by (job)"#, .range(120, 240, 120), #"""
            {job="backup"} 120:200 240:800
            {job="sync"} 120:300 240:900
            """#),
        MetricCase(#"first_over_time({app="sommos", env="prod", service="api"} | json | unwrap durationMs [45s]) by (path)"#, .range(120, 240, 120), #"""
            {path="/api/cellar"} 120:60 240:120
            {path="/api/wines"} 120:55 240:115
            {path="/api/wines/42"} 120:50 240:110
            """#),
        MetricCase(#"bytes_rate({env="dev"}[45s])"#, .range(120, 240, 120), #"""
            {app="sommos", env="dev", service="api"} 120:2.888888888888889 240:2.888888888888889
            """#),
        MetricCase(#"topk(1, count_over_time({app=~".+", app!~"legacy"}[1m]))"#, .range(120, 240, 120), #"""
            {app="sommos", env="prod", service="api"} 120:6 240:6
            """#),
        MetricCase(#"sum by (env) (count_over_time({app="sommos"}[1m] offset 30s)) - sum by (env) (count_over_time({app="sommos"}[1m]))"#, .range(120, 240, 120), #"""
            {env="dev"} 120:0 240:0
            {env="prod"} 120:0 240:0
            {env="staging"} 120:0 240:0
            """#),
        MetricCase(#"absent_over_time({app="legacy"}[30s])"#, .range(120, 240, 120), ""),
    ]

    static let conformance: [MetricCase] = table1 + table2 + table3 + table4 + table5 + table6
}
