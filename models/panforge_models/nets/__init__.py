"""The three networks, one module each, and a registry by manifest ``network`` name."""

from .cf2n import CF2N
from .ggpnet import GGPNet
from .premix import PreMix

NETWORKS = {"GGPNet": GGPNet, "PreMix": PreMix, "CF2N": CF2N}


def build_network(name: str, bands: int, **kwargs):
    """Instantiate a network by name, e.g. ``build_network("PreMix", 8, embed_dim=32)``."""
    if name not in NETWORKS:
        raise ValueError(f"unknown network {name!r}; expected one of {sorted(NETWORKS)}")
    return NETWORKS[name](bands=bands, **kwargs)
