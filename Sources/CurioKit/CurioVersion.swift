/// The Curio release this build belongs to.
public enum CurioVersion {
    /// The version string (`0.1.0`).
    public static let string = "0.1.0"
}
