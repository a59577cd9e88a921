//! The Worker's `PUBLIC_URL` var: its own public origin, for the unsubscribe and opt-in links of
//! the messages it sends.
//!
//! The retailer's own (`--public-url`, or `PUBLIC_URL` in the `[vars]` of their `wrangler.toml`,
//! e.g. a custom domain) is set as it is. Otherwise it is the URL the last deploy set, kept in the
//! deployment's state; and on a first install, where nothing knows it yet, the URL `wrangler
//! deploy` reports: the deploy uploads the Worker, reads that URL, and uploads it once more with
//! `PUBLIC_URL` set, keeping it so that later upgrades upload once.

/// The var's name, in `[vars]` and on the Worker.
pub const VAR: &str = "PUBLIC_URL";

/// Where this run's `PUBLIC_URL` comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicUrl {
    /// The retailer's own (`--public-url`, or their `wrangler.toml`): set as it is.
    Theirs(String),
    /// The one the last deploy set, kept in the deployment's state.
    Kept(String),
    /// Not known before the upload: learned from what `wrangler deploy` reports, then set by a
    /// second upload.
    Learned,
}

impl PublicUrl {
    /// Chooses this run's `PUBLIC_URL`: `given` (the command line's) first, then `configured`
    /// (the `[vars]` of `wrangler.toml`, empty meaning unset), then `kept` (the state's). Fails on
    /// a `given` or `configured` one that is not an https origin.
    pub fn choose(
        given: Option<&str>,
        configured: Option<&str>,
        kept: Option<&str>,
    ) -> Result<PublicUrl, String> {
        if let Some(url) = given {
            return https_origin(url)
                .map(PublicUrl::Theirs)
                .map_err(|e| format!("--public-url: {e}"));
        }
        if let Some(url) = configured.filter(|url| !url.trim().is_empty()) {
            return https_origin(url)
                .map(PublicUrl::Theirs)
                .map_err(|e| format!("wrangler.toml [vars] {VAR}: {e}"));
        }
        Ok(kept.map_or(PublicUrl::Learned, |url| PublicUrl::Kept(url.to_owned())))
    }

    /// The URL to set before the upload, when known.
    pub fn known(&self) -> Option<&str> {
        match self {
            PublicUrl::Theirs(url) | PublicUrl::Kept(url) => Some(url),
            PublicUrl::Learned => None,
        }
    }

    /// The `--dry-run` plan's line for it.
    pub fn plan(&self) -> String {
        match self {
            PublicUrl::Theirs(url) => {
                format!("set {VAR} to {url} (yours: --public-url or wrangler.toml [vars])")
            }
            PublicUrl::Kept(url) => format!("set {VAR} to {url} (kept from the last deploy)"),
            PublicUrl::Learned => format!(
                "{VAR} is not known yet: after the upload, read the Worker's URL from wrangler's output and upload once more with {VAR} set to it (kept, so later upgrades upload once; --public-url <https://your.domain> sets your own)"
            ),
        }
    }
}

/// `url` as an https origin (`https://host` or `https://host:port`, without a trailing slash);
/// fails on anything else: another scheme, a path, a query, a fragment, credentials.
pub fn https_origin(url: &str) -> Result<String, String> {
    let url = url.trim();
    let origin = url.strip_suffix('/').unwrap_or(url);
    let authority = origin
        .strip_prefix("https://")
        .ok_or_else(|| format!("{url:?} is not an https URL (https://host)"))?;
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let host_ok = !host.is_empty()
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-'])
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    let port_ok = port.is_none_or(|port| {
        !port.is_empty() && port.len() <= 5 && port.chars().all(|c| c.is_ascii_digit())
    });
    if host_ok && port_ok {
        Ok(origin.to_owned())
    } else {
        Err(format!(
            "{url:?} is not an origin: https://host[:port], without a path, query or fragment"
        ))
    }
}
