from docker_schema1.quay import *  # noqa: F403
