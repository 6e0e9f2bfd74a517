//! Test images pushed through the registry API with oci-client: blobs, then
//! hand-written manifests whose exact bytes are known, so every digest the
//! tests expect is the sha256 of bytes made here.

use oci_client::Reference;
use oci_client::RegistryOperation;
use oci_client::manifest::{
    IMAGE_MANIFEST_LIST_MEDIA_TYPE, IMAGE_MANIFEST_MEDIA_TYPE, OCI_IMAGE_INDEX_MEDIA_TYPE,
    OCI_IMAGE_MEDIA_TYPE,
};

use super::{Registry, runtime};
use dockerfix::registry::Digest;

/// Every manifest type, as `docker pull` asks for them.
pub const ACCEPT_ALL: &str = "application/vnd.oci.image.index.v1+json, \
    application/vnd.docker.distribution.manifest.list.v2+json, \
    application/vnd.oci.image.manifest.v1+json, \
    application/vnd.docker.distribution.manifest.v2+json";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A single-platform Docker v2 manifest.
    DockerManifest,
    /// A single-platform OCI manifest.
    OciManifest,
    /// A Docker manifest list of linux/amd64 and linux/arm64.
    DockerList,
    /// An OCI image index of linux/amd64 and linux/arm64.
    OciIndex,
}

impl Kind {
    pub fn media_type(self) -> &'static str {
        match self {
            Kind::DockerManifest => IMAGE_MANIFEST_MEDIA_TYPE,
            Kind::OciManifest => OCI_IMAGE_MEDIA_TYPE,
            Kind::DockerList => IMAGE_MANIFEST_LIST_MEDIA_TYPE,
            Kind::OciIndex => OCI_IMAGE_INDEX_MEDIA_TYPE,
        }
    }
}

/// What a tag points to after a push.
#[derive(Debug, Clone)]
pub struct Pushed {
    /// sha256 of the manifest bytes pushed to the tag.
    pub digest: String,
    pub media_type: &'static str,
    /// Digests of the platform manifests of an index or list.
    pub children: Vec<String>,
}

struct Blob {
    digest: String,
    size: usize,
}

impl Registry {
    /// Pushes an image of `kind` to `repository:tag` (`library/python:3.12`).
    /// `salt` changes its bytes, so a tag can be moved to a new image.
    pub fn push(&self, repository_tag: &str, kind: Kind, salt: &str) -> Pushed {
        runtime().block_on(self.push_async(repository_tag, kind, salt))
    }

    async fn push_async(&self, repository_tag: &str, kind: Kind, salt: &str) -> Pushed {
        let client = self.oci_client();
        let auth = self.push_auth();
        let tagged: Reference = format!("{}/{repository_tag}", self.addr)
            .parse()
            .expect("reference");
        client
            .auth(&tagged, &auth, RegistryOperation::Push)
            .await
            .expect("push authentication");
        let (bytes, children) = match kind {
            Kind::DockerManifest | Kind::OciManifest => {
                let docker = kind == Kind::DockerManifest;
                (
                    platform_manifest(&client, &tagged, docker, "amd64", salt).await,
                    Vec::new(),
                )
            }
            Kind::DockerList | Kind::OciIndex => {
                let docker = kind == Kind::DockerList;
                let mut entries = Vec::new();
                let mut children = Vec::new();
                for arch in ["amd64", "arm64"] {
                    let child = platform_manifest(&client, &tagged, docker, arch, salt).await;
                    let digest = Digest::sha256_of(&child).to_string();
                    let by_digest = Reference::with_digest(
                        tagged.registry().to_owned(),
                        tagged.repository().to_owned(),
                        digest.clone(),
                    );
                    let child_type = if docker {
                        IMAGE_MANIFEST_MEDIA_TYPE
                    } else {
                        OCI_IMAGE_MEDIA_TYPE
                    };
                    client
                        .push_manifest_raw(&by_digest, child.clone(), child_type.parse().unwrap())
                        .await
                        .expect("push platform manifest");
                    entries.push(format!(
                        r#"{{"mediaType":"{child_type}","digest":"{digest}","size":{},"platform":{{"architecture":"{arch}","os":"linux"}}}}"#,
                        child.len()
                    ));
                    children.push(digest);
                }
                let index = format!(
                    r#"{{"schemaVersion":2,"mediaType":"{}","manifests":[{}]}}"#,
                    kind.media_type(),
                    entries.join(",")
                );
                (index.into_bytes(), children)
            }
        };
        client
            .push_manifest_raw(&tagged, bytes.clone(), kind.media_type().parse().unwrap())
            .await
            .unwrap_or_else(|e| panic!("push {repository_tag}: {e}\n{}", self.log()));
        Pushed {
            digest: Digest::sha256_of(&bytes).to_string(),
            media_type: kind.media_type(),
            children,
        }
    }
}

async fn push_blob(client: &oci_client::Client, reference: &Reference, bytes: Vec<u8>) -> Blob {
    let digest = Digest::sha256_of(&bytes).to_string();
    let size = bytes.len();
    client
        .push_blob(reference, bytes, &digest)
        .await
        .expect("push blob");
    Blob { digest, size }
}

/// Pushes a platform image's config and layer; returns its manifest bytes
/// (not pushed yet).
async fn platform_manifest(
    client: &oci_client::Client,
    reference: &Reference,
    docker: bool,
    arch: &str,
    salt: &str,
) -> Vec<u8> {
    let config = push_blob(
        client,
        reference,
        format!(
            r#"{{"architecture":"{arch}","os":"linux","rootfs":{{"type":"layers","diff_ids":[]}},"comment":"{salt}"}}"#
        )
        .into_bytes(),
    )
    .await;
    let layer = push_blob(
        client,
        reference,
        format!("layer of {} for {arch} {salt}", reference.repository()).into_bytes(),
    )
    .await;
    let (manifest_type, config_type, layer_type) = if docker {
        (
            IMAGE_MANIFEST_MEDIA_TYPE,
            "application/vnd.docker.container.image.v1+json",
            "application/vnd.docker.image.rootfs.diff.tar.gzip",
        )
    } else {
        (
            OCI_IMAGE_MEDIA_TYPE,
            "application/vnd.oci.image.config.v1+json",
            "application/vnd.oci.image.layer.v1.tar+gzip",
        )
    };
    format!(
        r#"{{"schemaVersion":2,"mediaType":"{manifest_type}","config":{{"mediaType":"{config_type}","digest":"{}","size":{}}},"layers":[{{"mediaType":"{layer_type}","digest":"{}","size":{}}}]}}"#,
        config.digest, config.size, layer.digest, layer.size
    )
    .into_bytes()
}
