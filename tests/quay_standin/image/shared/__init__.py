class ManifestException(Exception):
    """The base of every manifest error in the stand-in tree."""
