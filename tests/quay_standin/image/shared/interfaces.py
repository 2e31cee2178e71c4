from abc import ABCMeta, abstractmethod


class ManifestInterface(metaclass=ABCMeta):
    """The ABC every manifest class of the stand-in tree is an instance of."""

    @property
    @abstractmethod
    def digest(self): ...

    @property
    @abstractmethod
    def media_type(self): ...
