/// The Curio release this build belongs to.
public enum CurioVersion {
    public static let string = "0.1.0"
}
