import CellarPipelines
import Testing

@Suite("route normaliser")
struct RouteNormalizerTests {
    @Test(arguments: [
        ("/api/inventory/123", "/api/inventory/:id"),
        ("/api/inventory", "/api/inventory"),
        ("/api/orders/5f2b9c1e8d7a6b5c4d3e2f10/items/7", "/api/orders/:id/items/:id"),
        ("/api/wines/3fa85f64-5717-4562-b3fc-2c963f66afa6", "/api/wines/:id"),
        ("/api/wines/42?vintage=2019#notes", "/api/wines/:id"),
        ("/api/v2/wines", "/api/v2/wines"),
        ("/api/beef", "/api/beef"),
        ("/", "/"),
        ("", ""),
        ("/api/search/", "/api/search/"),
    ])
    func normalises(_ path: String, _ route: String) {
        #expect(RouteNormalizer.normalize(path) == route)
    }
}
