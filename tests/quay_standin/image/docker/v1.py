from collections import namedtuple

DockerV1Metadata = namedtuple(
    "DockerV1Metadata",
    "namespace_name repo_name image_id checksum content_checksum created comment command author "
    "parent_image_id compat_json",
)
