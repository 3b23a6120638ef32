/// What `/loki/api/v1/status/buildinfo` reports. The version is the Loki API level we follow, so tools
/// that gate features on Loki's version enable the 3.x surface.
public enum BuildInfo {
    public static let version = "3.4.0"
    public static let product = "logcellar"
    public static let productVersion = "0.1.0"
}
