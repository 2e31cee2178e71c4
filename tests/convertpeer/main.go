// convertpeer: the reference for tests/test_convert_differential.py. Reads one request per line
// on stdin, {"manifest": "...", "layers": {digest: [size, diffID]}}, and answers each with
// containers/image's conversion of the schema 1 manifest (Debian's
// golang-github-containers-image-dev, 5.23.1): its public Schema1FromManifest and
// ToSchema2Config, the layer list built as copy does it, and the OCI config as image-spec's
// Image read back and written again. Built by tests/go_convert.py.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/containers/image/v5/manifest"
	"github.com/opencontainers/go-digest"
	imgspecv1 "github.com/opencontainers/image-spec/specs-go/v1"
)

type request struct {
	Manifest string                        `json:"manifest"`
	Layers   map[string][2]json.RawMessage `json:"layers"`
}

type answer struct {
	Error       string `json:"error,omitempty"`
	Config      []byte `json:"config,omitempty"`
	Manifest    []byte `json:"manifest,omitempty"`
	OCIConfig   []byte `json:"oci_config,omitempty"`
	OCIManifest []byte `json:"oci_manifest,omitempty"`
}

func convert(req request) answer {
	m, err := manifest.Schema1FromManifest([]byte(req.Manifest))
	if err != nil {
		return answer{Error: err.Error()}
	}
	var diffIDs []digest.Digest = []digest.Digest{}
	var layers []manifest.Schema2Descriptor
	for i := len(m.ExtractedV1Compatibility) - 1; i >= 0; i-- {
		if m.ExtractedV1Compatibility[i].ThrowAway {
			continue
		}
		info, ok := req.Layers[m.FSLayers[i].BlobSum.String()]
		if !ok {
			return answer{Error: "no layer info"}
		}
		var size int64
		var diffID string
		json.Unmarshal(info[0], &size)
		json.Unmarshal(info[1], &diffID)
		layers = append(layers, manifest.Schema2Descriptor{
			MediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
			Size:      size,
			Digest:    m.FSLayers[i].BlobSum,
		})
		diffIDs = append(diffIDs, digest.Digest(diffID))
	}
	config, err := m.ToSchema2Config(diffIDs)
	if err != nil {
		return answer{Error: err.Error()}
	}
	s2 := manifest.Schema2FromComponents(manifest.Schema2Descriptor{
		MediaType: "application/vnd.docker.container.image.v1+json",
		Size:      int64(len(config)),
		Digest:    digest.FromBytes(config),
	}, layers)
	s2bytes, err := s2.Serialize()
	if err != nil {
		return answer{Error: err.Error()}
	}
	out := answer{Config: config, Manifest: s2bytes}
	image := &imgspecv1.Image{}
	if err := json.Unmarshal(config, image); err != nil {
		out.Error = "oci: " + err.Error()
		return out
	}
	ociConfig, err := json.Marshal(image)
	if err != nil {
		out.Error = "oci: " + err.Error()
		return out
	}
	ociLayers := make([]imgspecv1.Descriptor, len(layers))
	for i, l := range layers {
		ociLayers[i] = imgspecv1.Descriptor{MediaType: imgspecv1.MediaTypeImageLayerGzip, Digest: l.Digest, Size: l.Size}
	}
	o := manifest.OCI1FromComponents(imgspecv1.Descriptor{
		MediaType: imgspecv1.MediaTypeImageConfig,
		Size:      int64(len(ociConfig)),
		Digest:    digest.FromBytes(ociConfig),
	}, ociLayers)
	ociBytes, err := o.Serialize()
	if err != nil {
		out.Error = "oci: " + err.Error()
		return out
	}
	out.OCIConfig, out.OCIManifest = ociConfig, ociBytes
	return out
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	enc := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		enc.Encode(convert(req))
	}
}
