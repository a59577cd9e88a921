//! `cargo xtask deploy`: puts Waypost on the retailer's own Cloudflare account with wrangler, and
//! upgrades it in place when run again.
//!
//! The committed `edge/wrangler.toml` holds no account's ids. A deployment keeps its own in a
//! git-ignored folder (`edge/.deploy/`): the ids of the resources it made or found, the wrangler
//! configuration generated from `wrangler.toml` with them, the admin token and the first shop's
//! secret key (both readable by the owner only). Every step finds what an earlier run made (by
//! name) before making anything, so a run that stopped halfway is completed by running it again,
//! and a run on a finished deployment creates nothing: it applies the new D1 migrations and
//! uploads the new Worker, data kept.
//!
//! The resources made before the upload: the D1 databases and KV namespaces (found by name, or
//! created, with wrangler), and the Queues (see [`queues`]). The upload sets the Worker's
//! `PUBLIC_URL` (see [`public_url`]).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use waypost_tests::Client;

use crate::run::Step;
use crate::toolchain::edge_dir;

#[path = "deploy_public_url.rs"]
pub mod public_url;
#[path = "deploy_queues.rs"]
mod queues;

use public_url::PublicUrl;
use queues::Queue;

/// How a queue is labelled in the plan and the closing message.
const QUEUE_LABEL: &str = "Queue";

/// The secrets the Worker gets on its first deploy.
const GENERATED_SECRETS: [&str; 2] = ["ADMIN_TOKEN", "INTEGRATIONS_KEY"];
/// Carrier secrets a retailer sets for live tracking (each carrier is asked only with all of its).
const CARRIER_SECRETS: [&str; 7] = [
    "UPS_CLIENT_ID",
    "UPS_CLIENT_SECRET",
    "FEDEX_CLIENT_ID",
    "FEDEX_CLIENT_SECRET",
    "USPS_CLIENT_ID",
    "USPS_CLIENT_SECRET",
    "DHL_API_KEY",
];

/// What the command line asks for.
#[derive(Debug, Default, Clone)]
pub struct DeployOptions {
    /// Build and plan only; the account is not touched.
    pub dry_run: bool,
    /// Where the Worker answers when that is not the URL wrangler reports (a custom domain).
    pub url: Option<String>,
    /// The Worker's `PUBLIC_URL` (its public origin, for the links in messages) when it is not
    /// the URL wrangler reports: a custom domain. Validated as an https origin.
    pub public_url: Option<String>,
    /// The first shop's name.
    pub shop_name: Option<String>,
    /// Storefront origins the first shop's widget runs on.
    pub origins: Vec<String>,
}

impl DeployOptions {
    /// Reads `--dry-run`, `--url <url>`, `--public-url <https origin>`, `--shop-name <name>` and
    /// `--origin <origin>` (repeatable).
    pub fn parse(args: &[String]) -> Result<DeployOptions, String> {
        let mut options = DeployOptions::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match arg.as_str() {
                "--dry-run" => options.dry_run = true,
                "--url" => options.url = Some(value("--url")?),
                "--public-url" => {
                    let url = value("--public-url")?;
                    let origin =
                        public_url::https_origin(&url).map_err(|e| format!("--public-url: {e}"))?;
                    options.public_url = Some(origin);
                }
                "--shop-name" => options.shop_name = Some(value("--shop-name")?),
                "--origin" => options.origins.push(value("--origin")?),
                other => {
                    return Err(format!(
                        "unknown option {other:?}; cargo xtask deploy [--dry-run] [--url <url>] [--public-url <https://your.domain>] [--shop-name <name>] [--origin <https://store.example>]..."
                    ));
                }
            }
        }
        Ok(options)
    }
}

/// `cargo xtask deploy`: builds the widget and the Worker, then deploys (or, with `--dry-run`,
/// bundles and prints the plan).
pub fn deploy(options: &DeployOptions) -> Result<(), String> {
    crate::widget::build()?;
    crate::edge::build_worker()?;
    let deployer = Deployer::for_repository(options);
    if options.dry_run {
        return deployer.dry_run();
    }
    deployer.run().map(|report| report.print())
}

/// A deployment: which configuration, which wrangler, where its state is kept, how wrangler
/// reaches the account.
pub struct Deployer {
    /// The committed wrangler configuration the deployment is made from.
    pub config: PathBuf,
    /// The wrangler binary.
    pub wrangler: PathBuf,
    /// The git-ignored folder that keeps this deployment.
    pub state: PathBuf,
    /// Environment for wrangler besides this process's (tests point it at a stand-in API).
    pub env: Vec<(String, String)>,
    /// Where the deployed Worker answers, when not the URL wrangler reports.
    pub url: Option<String>,
    /// The Worker's `PUBLIC_URL` when it is the retailer's own (a custom domain); `None`: the one
    /// of `wrangler.toml`'s `[vars]`, else the last deploy's, else the URL wrangler reports.
    pub public_url: Option<String>,
    /// The admin token to set on the first deploy; generated when `None`.
    pub admin_token: Option<String>,
    /// The first shop's name.
    pub shop_name: String,
    /// The first shop's storefront origins; without any, the first shop waits for a run with
    /// `--origin`.
    pub origins: Vec<String>,
}

/// A resource the Worker binds, as `wrangler.toml` declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub kind: ResourceKind,
    /// The binding name (`DB`, `CARRIER_CACHE`).
    pub binding: String,
    /// The name it has on the account: the D1 `database_name`, or `<worker>-<binding>` for a
    /// KV namespace (wrangler's own convention).
    pub name: String,
}

/// The kinds of resources a deployment creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    D1,
    Kv,
}

impl ResourceKind {
    fn label(self) -> &'static str {
        match self {
            ResourceKind::D1 => "D1 database",
            ResourceKind::Kv => "KV namespace",
        }
    }
}

/// What a deployment keeps between runs (`deployment.json` in its state folder).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct DeploymentState {
    /// Resource ids by `<kind>:<binding>`.
    pub ids: std::collections::BTreeMap<String, String>,
    /// Where the Worker answers.
    pub url: Option<String>,
    /// The `PUBLIC_URL` the Worker was last deployed with; later upgrades set it again (unless
    /// `--public-url` or `wrangler.toml` says otherwise), in one upload.
    #[serde(default)]
    pub public_url: Option<String>,
    /// The first shop, once created.
    pub first_shop: Option<FirstShop>,
}

/// The shop the first deploy created.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FirstShop {
    pub shop_id: String,
    pub publishable_key: String,
}

/// What a run did, for the closing message.
#[derive(Debug, Default)]
pub struct Report {
    /// Each resource: its label, name, id, and whether this run created it.
    pub resources: Vec<(String, String, String, bool)>,
    /// Where the Worker answers.
    pub url: String,
    /// The `PUBLIC_URL` the Worker was deployed with, when known.
    pub public_url: Option<String>,
    /// How many times this run uploaded the Worker (`wrangler deploy`): twice on a first install,
    /// to set the `PUBLIC_URL` it learns from the first.
    pub uploads: usize,
    /// The first shop, and whether this run created it.
    pub shop: Option<(FirstShop, bool)>,
    /// Files of the state folder worth knowing.
    pub admin_token_file: PathBuf,
    pub secret_key_file: PathBuf,
    pub config_file: PathBuf,
    /// The admin token, when this run generated it (printed once).
    pub new_admin_token: Option<String>,
    /// Why the first shop is not there yet, when it is not.
    pub shop_note: Option<String>,
}

impl Deployer {
    /// The repository's deployment: `edge/wrangler.toml`, its wrangler, state in `edge/.deploy/`.
    pub fn for_repository(options: &DeployOptions) -> Deployer {
        let edge = edge_dir();
        Deployer {
            config: edge.join("wrangler.toml"),
            wrangler: edge.join("node_modules/.bin/wrangler"),
            state: edge.join(".deploy"),
            env: Vec::new(),
            url: options.url.clone(),
            // `--url` names a custom domain; an https origin there is the public one too.
            public_url: options.public_url.clone().or_else(|| {
                options
                    .url
                    .as_deref()
                    .and_then(|url| public_url::https_origin(url).ok())
            }),
            admin_token: std::env::var("WAYPOST_ADMIN_TOKEN").ok(),
            shop_name: options
                .shop_name
                .clone()
                .unwrap_or_else(|| "My shop".into()),
            origins: options.origins.clone(),
        }
    }

    /// `--dry-run`: every step that needs no account (the bundle), then the plan.
    pub fn dry_run(&self) -> Result<(), String> {
        let manifest = Manifest::read(&self.config)?;
        crate::edge::dry_run()?;
        let state = self.load_state()?;
        let public_url = self.public_url(&manifest, &state)?;
        let mut plan = vec![
            "check that wrangler is logged in (wrangler login, or CLOUDFLARE_API_TOKEN)".to_owned(),
        ];
        for resource in &manifest.resources {
            let known = state
                .ids
                .get(&resource.key())
                .map_or("find it by name, or create it".to_owned(), |id| {
                    format!("kept from the last deploy: {id}")
                });
            plan.push(format!(
                "{} {:?} (binding {}): {known}",
                resource.kind.label(),
                resource.name,
                resource.binding
            ));
        }
        for queue in &manifest.queues {
            let known = state.ids.get(&queue.key()).map_or(
                "create it unless the account has it already".to_owned(),
                |id| format!("kept from the last deploy: {id}"),
            );
            plan.push(format!(
                "{QUEUE_LABEL} {:?} ({}): {known}",
                queue.name,
                queue.uses.join(", ")
            ));
        }
        plan.push(format!(
            "write {} with those ids",
            self.generated_config().display()
        ));
        let migrations = manifest.migration_files()?;
        plan.push(format!(
            "apply the D1 migrations not applied yet, of {}: {}",
            migrations.len(),
            migrations.join(", ")
        ));
        plan.push(format!(
            "list the Worker's secrets; generate those of {} it lacks and set them with the upload (a new admin token is printed once and kept in {}); keep every other secret",
            GENERATED_SECRETS.join(" and "),
            self.admin_token_file().display()
        ));
        plan.push(format!(
            "upload Worker {:?} with the widget, its Cron Trigger and bindings{}",
            manifest.worker_name,
            if manifest.queues.is_empty() {
                ""
            } else {
                ", and attach it to its queues as producer and consumer"
            }
        ));
        plan.push(public_url.plan());
        plan.push(if state.first_shop.is_some() {
            "keep the first shop".to_owned()
        } else {
            "create the first shop (needs --origin) and print its snippet and keys".to_owned()
        });
        println!("\nPlan for `cargo xtask deploy` (nothing below was done):");
        for (number, step) in plan.iter().enumerate() {
            println!("  {}. {step}", number + 1);
        }
        Ok(())
    }

    /// Deploys: provisions, migrates, uploads, creates the first shop; answers what it did.
    pub fn run(&self) -> Result<Report, String> {
        let manifest = Manifest::read(&self.config)?;
        self.check_login()?;
        std::fs::create_dir_all(&self.state)
            .map_err(|e| format!("{}: {e}", self.state.display()))?;
        let mut state = self.load_state()?;
        let public_url = self.public_url(&manifest, &state)?;
        let mut report = Report {
            admin_token_file: self.admin_token_file(),
            secret_key_file: self.secret_key_file(),
            config_file: self.generated_config(),
            ..Report::default()
        };

        for resource in &manifest.resources {
            let (id, created) = self.provision(resource)?;
            state.ids.insert(resource.key(), id.clone());
            self.save_state(&state)?;
            report.resources.push((
                resource.kind.label().to_owned(),
                resource.name.clone(),
                id,
                created,
            ));
        }
        for (queue, id, created) in self.provision_queues(&manifest.queues)? {
            state.ids.insert(queue.key(), id.clone());
            report
                .resources
                .push((QUEUE_LABEL.to_owned(), queue.name.clone(), id, created));
        }
        self.save_state(&state)?;
        let config = self.generated_config();
        write_private(
            &config,
            &manifest.generated(&state.ids, public_url.known())?,
        )?;

        for resource in manifest
            .resources
            .iter()
            .filter(|r| r.kind == ResourceKind::D1)
        {
            let output = self.wrangler(
                &format!("applying the D1 migrations of {}", resource.binding),
                &[
                    "d1",
                    "migrations",
                    "apply",
                    &resource.binding,
                    "--remote",
                    "--config",
                    &config.to_string_lossy(),
                ],
            )?;
            print_indented(&output);
        }

        let secrets_file = self.state.join("secrets.json");
        let mut deploy_args = vec!["deploy".to_owned(), "--config".into(), path_text(&config)];
        // The Worker's own secrets are the truth (not this folder, which another machine lacks):
        // a secret it has is never replaced, or every sealed integration secret would stop
        // opening.
        let present = self.worker_secrets(&config)?;
        let mut secrets = serde_json::Map::new();
        if !present.iter().any(|name| name == "ADMIN_TOKEN") {
            let admin_token = match (&self.admin_token, read_trimmed(&self.admin_token_file())) {
                (Some(given), _) => given.clone(),
                (None, Some(kept)) => kept,
                (None, None) => random_token()?,
            };
            write_private(&self.admin_token_file(), &admin_token)?;
            secrets.insert("ADMIN_TOKEN".into(), admin_token.clone().into());
            report.new_admin_token = Some(admin_token);
        }
        if !present.iter().any(|name| name == "INTEGRATIONS_KEY") {
            secrets.insert("INTEGRATIONS_KEY".into(), random_token()?.into());
        }
        if !secrets.is_empty() {
            write_private(&secrets_file, &Value::Object(secrets).to_string())?;
            deploy_args.extend(["--secrets-file".into(), path_text(&secrets_file)]);
        }
        let outputs = self.state.join("wrangler-output.jsonl");
        let _ = std::fs::remove_file(&outputs);
        let uploaded = self.upload(&deploy_args, &outputs);
        let _ = std::fs::remove_file(&secrets_file);
        uploaded?;
        report.uploads = 1;
        let reported = deployed_url(&outputs);
        let deployed_public_url = match (&public_url, &reported) {
            (PublicUrl::Learned, Some(learned)) => {
                // A first install: the URL is known now; upload once more with it (the secrets
                // are on the Worker already and stay).
                println!(
                    "\n  {} is {learned}: the Worker is uploaded again with it",
                    public_url::VAR
                );
                write_private(&config, &manifest.generated(&state.ids, Some(learned))?)?;
                self.upload(
                    &["deploy".to_owned(), "--config".into(), path_text(&config)],
                    &outputs,
                )?;
                report.uploads += 1;
                Some(learned.clone())
            }
            (PublicUrl::Learned, None) => None,
            (known, _) => known.known().map(str::to_owned),
        };
        if deployed_public_url.is_some() {
            state.public_url.clone_from(&deployed_public_url);
        }
        report.public_url = deployed_public_url;
        let url = self.url.clone().or(reported).or(state.url.clone()).ok_or(
            "wrangler deployed but reported no URL; pass --url <where the Worker answers>",
        )?;
        state.url = Some(url.clone());
        self.save_state(&state)?;
        report.url = url.clone();

        match &state.first_shop {
            Some(shop) => report.shop = Some((shop.clone(), false)),
            None if self.origins.is_empty() => {
                report.shop_note = Some(
                    "no shop yet: run `cargo xtask deploy --origin https://your-store.example` (the storefront where the widget goes) to create it".into(),
                );
            }
            None => match self
                .admin_token
                .clone()
                .or_else(|| read_trimmed(&self.admin_token_file()))
            {
                None => {
                    report.shop_note = Some(
                        "no shop yet: the Worker has an ADMIN_TOKEN this machine does not keep; run `WAYPOST_ADMIN_TOKEN=<it> cargo xtask deploy --origin ...` to create the first shop".into(),
                    );
                }
                Some(admin_token) => {
                    let shop = self.create_first_shop(&url, &admin_token)?;
                    state.first_shop = Some(shop.clone());
                    self.save_state(&state)?;
                    report.shop = Some((shop, true));
                }
            },
        }
        Ok(report)
    }

    /// This run's `PUBLIC_URL`: the retailer's, else the last deploy's, else learned.
    fn public_url(
        &self,
        manifest: &Manifest,
        state: &DeploymentState,
    ) -> Result<PublicUrl, String> {
        PublicUrl::choose(
            self.public_url.as_deref(),
            manifest.public_url().as_deref(),
            state.public_url.as_deref(),
        )
    }

    /// Uploads the Worker: `wrangler deploy` with `deploy_args`, its output entries written to
    /// `outputs` (where [`deployed_url`] reads the URL).
    fn upload(&self, deploy_args: &[String], outputs: &Path) -> Result<(), String> {
        let args: Vec<&str> = deploy_args.iter().map(String::as_str).collect();
        let output = self.wrangler_with(
            "uploading the Worker (wrangler deploy)",
            &args,
            &[("WRANGLER_OUTPUT_FILE_PATH", &path_text(outputs))],
        )?;
        print_indented(&output);
        Ok(())
    }

    /// Fails with what to do when wrangler cannot reach an account.
    fn check_login(&self) -> Result<(), String> {
        let token = self
            .env
            .iter()
            .rev()
            .find(|(name, _)| name == "CLOUDFLARE_API_TOKEN")
            .map(|(_, value)| value.clone())
            .or_else(|| std::env::var("CLOUDFLARE_API_TOKEN").ok());
        if token.is_some_and(|token| !token.is_empty()) {
            return Ok(());
        }
        let whoami = self.wrangler(
            "checking the Cloudflare login (wrangler whoami)",
            &["whoami"],
        );
        match whoami {
            Ok(output) if !output.contains("not authenticated") => Ok(()),
            _ => Err(
                "wrangler is not logged in to Cloudflare. Run `cd edge && npx wrangler login` (it opens a browser), \
                 or set CLOUDFLARE_API_TOKEN (an API token allowed to edit Workers Scripts, D1, Workers KV and Queues) \
                 and CLOUDFLARE_ACCOUNT_ID; then run `cargo xtask deploy` again."
                    .into(),
            ),
        }
    }

    /// Finds a resource by name, or creates it; answers its id and whether it was created.
    fn provision(&self, resource: &Resource) -> Result<(String, bool), String> {
        if let Some(id) = self.find(resource)? {
            println!(
                "  {} {:?}: found, {id}",
                resource.kind.label(),
                resource.name
            );
            return Ok((id, false));
        }
        let name = &resource.name;
        let create = match resource.kind {
            ResourceKind::D1 => vec!["d1", "create", name],
            ResourceKind::Kv => vec!["kv", "namespace", "create", name],
        };
        self.wrangler(
            &format!("creating {} {name:?}", resource.kind.label()),
            &create,
        )?;
        let id = self.find(resource)?.ok_or_else(|| {
            format!(
                "{} {name:?} was created but is not listed; run `cargo xtask deploy` again",
                resource.kind.label()
            )
        })?;
        println!("  {} {name:?}: created, {id}", resource.kind.label());
        Ok((id, true))
    }

    /// Makes every queue of `queues` that the account lacks; answers each with its id and
    /// whether this run created it. A queue the account has is kept as it is.
    fn provision_queues<'a>(
        &self,
        queues: &'a [Queue],
    ) -> Result<Vec<(&'a Queue, String, bool)>, String> {
        if queues.is_empty() {
            return Ok(Vec::new());
        }
        let existing = self.list_queues()?;
        let missing: Vec<&Queue> = queues
            .iter()
            .filter(|queue| !existing.iter().any(|(name, _)| *name == queue.name))
            .collect();
        for queue in &missing {
            self.wrangler(
                &format!("creating {QUEUE_LABEL} {:?}", queue.name),
                &["queues", "create", &queue.name],
            )?;
        }
        let listed = if missing.is_empty() {
            existing
        } else {
            self.list_queues()?
        };
        let mut provisioned = Vec::new();
        for queue in queues {
            let id = listed
                .iter()
                .find(|(name, _)| *name == queue.name)
                .map(|(_, id)| id.clone())
                .ok_or_else(|| {
                    format!(
                        "{QUEUE_LABEL} {:?} was created but is not listed; run `cargo xtask deploy` again",
                        queue.name
                    )
                })?;
            let created = missing.iter().any(|made| made.name == queue.name);
            let how = if created { "created" } else { "found" };
            println!("  {QUEUE_LABEL} {:?}: {how}, {id}", queue.name);
            provisioned.push((queue, id, created));
        }
        Ok(provisioned)
    }

    /// Every queue of the account as (name, id), page after page until one adds nothing.
    fn list_queues(&self) -> Result<Vec<(String, String)>, String> {
        /// More pages than an account has queues, whatever the page size.
        const MAX_PAGES: usize = 1000;
        let mut all: Vec<(String, String)> = Vec::new();
        for page in 1..=MAX_PAGES {
            let number = page.to_string();
            let output = self.wrangler(
                &format!("listing queues (page {page})"),
                &["queues", "list", "--page", &number],
            )?;
            let new: Vec<(String, String)> = queues::parse_list(&strip_ansi(&output))?
                .into_iter()
                .filter(|queue| !all.contains(queue))
                .collect();
            if new.is_empty() {
                break;
            }
            all.extend(new);
        }
        Ok(all)
    }

    /// A resource's id on the account, found by its name.
    fn find(&self, resource: &Resource) -> Result<Option<String>, String> {
        let (list, name_field, id_field) = match resource.kind {
            ResourceKind::D1 => (vec!["d1", "list", "--json"], "name", "uuid"),
            ResourceKind::Kv => (vec!["kv", "namespace", "list"], "title", "id"),
        };
        let output = self.wrangler(&format!("listing {}s", resource.kind.label()), &list)?;
        let start = output
            .find('[')
            .ok_or_else(|| format!("wrangler {} printed no list: {output}", list.join(" ")))?;
        let items: Vec<Value> = serde_json::from_str(&output[start..])
            .map_err(|e| format!("wrangler {}: {e}", list.join(" ")))?;
        Ok(items
            .iter()
            .find(|item| item[name_field].as_str() == Some(&resource.name))
            .and_then(|item| item[id_field].as_str())
            .map(str::to_owned))
    }

    /// The names of the deployed Worker's secrets; none when it is not deployed yet.
    fn worker_secrets(&self, config: &Path) -> Result<Vec<String>, String> {
        let listed = self.wrangler(
            "listing the Worker's secrets",
            &["secret", "list", "--config", &path_text(config)],
        );
        let output = match listed {
            Ok(output) => output,
            Err(error) if error.contains("not found") => return Ok(Vec::new()),
            Err(error) => return Err(error),
        };
        let start = output
            .find('[')
            .ok_or_else(|| format!("wrangler secret list printed no list: {output}"))?;
        let secrets: Vec<Value> = serde_json::from_str(&output[start..])
            .map_err(|e| format!("wrangler secret list: {e}"))?;
        Ok(secrets
            .iter()
            .filter_map(|secret| secret["name"].as_str().map(str::to_owned))
            .collect())
    }

    /// Creates the first shop on the deployed Worker and keeps its secret key in the state.
    fn create_first_shop(&self, url: &str, admin_token: &str) -> Result<FirstShop, String> {
        println!("\n==> creating the first shop on {url}");
        let input = json!({
            "name": self.shop_name,
            "allowed_origins": self.origins,
            "transit_days": { "min_days": 7, "max_days": 15 },
        });
        let created = Client::new(url)
            .create_shop(admin_token, &input)
            .map_err(|e| format!("the first shop at {url}: {e}; run `cargo xtask deploy` again"))?;
        write_private(&self.secret_key_file(), &created.secret_key)?;
        Ok(FirstShop {
            shop_id: created.shop_id,
            publishable_key: created.publishable_key,
        })
    }

    fn wrangler(&self, name: &str, args: &[&str]) -> Result<String, String> {
        self.wrangler_with(name, args, &[])
    }

    /// Runs wrangler non-interactively (stdin closed, so it never prompts) and answers its
    /// output; a failure says which step failed and how to go on.
    fn wrangler_with(
        &self,
        name: &str,
        args: &[&str],
        extra_env: &[(&str, &str)],
    ) -> Result<String, String> {
        println!("\n==> {name}");
        let mut step = Step::new(name, &self.wrangler.to_string_lossy(), args)
            .dir(self.config.parent().unwrap_or(Path::new(".")))
            .env("WRANGLER_SEND_METRICS", "false")
            .env("WRANGLER_SEND_ERROR_REPORTS", "false")
            .env("WRANGLER_HIDE_BANNER", "true")
            .env("WRANGLER_LOG_PATH", &path_text(&self.state.join("logs")));
        for (key, value) in &self.env {
            step = step.env(key, value);
        }
        for (key, value) in extra_env {
            step = step.env(key, value);
        }
        step.output().map_err(|error| {
            format!(
                "{}\n\nThe deploy stopped there; nothing after it ran. What is done is kept ({}) and found again: \
                 fix the cause and run `cargo xtask deploy` again.",
                strip_ansi(&error),
                self.state.display()
            )
        })
    }

    fn generated_config(&self) -> PathBuf {
        self.state.join("wrangler.toml")
    }

    fn admin_token_file(&self) -> PathBuf {
        self.state.join("admin-token")
    }

    fn secret_key_file(&self) -> PathBuf {
        self.state.join("first-shop-secret-key")
    }

    fn load_state(&self) -> Result<DeploymentState, String> {
        let file = self.state.join("deployment.json");
        match std::fs::read_to_string(&file) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display())),
            Err(_) => Ok(DeploymentState::default()),
        }
    }

    fn save_state(&self, state: &DeploymentState) -> Result<(), String> {
        let text = serde_json::to_string_pretty(state).map_err(|e| e.to_string())?;
        write_private(&self.state.join("deployment.json"), &text)
    }
}

impl Resource {
    /// Its key in [`DeploymentState::ids`].
    fn key(&self) -> String {
        let kind = match self.kind {
            ResourceKind::D1 => "d1",
            ResourceKind::Kv => "kv",
        };
        format!("{kind}:{}", self.binding)
    }
}

impl Report {
    /// The closing message: where it runs, the snippet, the keys, what to set next.
    pub fn print(&self) {
        println!("\nWaypost is deployed at {}\n", self.url);
        match &self.public_url {
            Some(url) => println!("  {} (links in messages): {url}", public_url::VAR),
            None => println!(
                "  {} is not set: wrangler reported no URL; run `cargo xtask deploy --public-url https://your.domain` so messages can link back",
                public_url::VAR
            ),
        }
        for (label, name, id, created) in &self.resources {
            let how = if *created { "created" } else { "kept" };
            println!("  {label} {name:?}: {id} ({how})");
        }
        if let Some(token) = &self.new_admin_token {
            println!(
                "\n  ADMIN_TOKEN (set as a secret; shown this once, kept in {}):\n    {token}",
                self.admin_token_file.display()
            );
        }
        match (&self.shop, &self.shop_note) {
            (Some((shop, _)), _) => {
                println!("\nPaste this into your storefront:\n");
                println!(
                    "  <script type=\"module\" src=\"{}/widget.js\"></script>\n  <waypost-tracker shop=\"{}\"></waypost-tracker>\n",
                    self.url, shop.publishable_key
                );
                println!("  shop id:          {}", shop.shop_id);
                println!("  publishable key:  {}", shop.publishable_key);
                println!(
                    "  secret key:       in {} (server side only)",
                    self.secret_key_file.display()
                );
            }
            (None, Some(note)) => println!("\n  {note}"),
            (None, None) => {}
        }
        println!(
            "  console:          not part of this version (the API is: {}/v1/openapi.json)",
            self.url
        );
        let config = self.config_file.display();
        println!(
            "\nLive carrier tracking: set the secrets of the carriers you have accounts with, e.g."
        );
        for secret in CARRIER_SECRETS {
            println!("  (cd edge && npx wrangler secret put {secret} --config {config})");
        }
        println!(
            "\nUpgrade: run `cargo xtask deploy` again. Roll back: (cd edge && npx wrangler rollback --config {config}). \
             Back up D1: (cd edge && npx wrangler d1 export waypost --remote --output backup.sql --config {config})."
        );
    }
}

/// What `wrangler.toml` declares that a deployment provisions.
#[derive(Debug)]
struct Manifest {
    /// The whole file, to generate the deployment's own from.
    table: toml::Table,
    /// Its folder, against which its relative paths resolve.
    dir: PathBuf,
    worker_name: String,
    resources: Vec<Resource>,
    /// The queues it names, each once.
    queues: Vec<Queue>,
}

impl Manifest {
    fn read(config: &Path) -> Result<Manifest, String> {
        let text =
            std::fs::read_to_string(config).map_err(|e| format!("{}: {e}", config.display()))?;
        let table: toml::Table = text
            .parse()
            .map_err(|e| format!("{}: {e}", config.display()))?;
        let worker_name = table
            .get("name")
            .and_then(toml::Value::as_str)
            .ok_or("wrangler.toml has no name")?
            .to_owned();
        let entries = |key: &str| -> Vec<toml::Table> {
            table
                .get(key)
                .and_then(toml::Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|item| item.as_table().cloned())
                        .collect()
                })
                .unwrap_or_default()
        };
        let field = |entry: &toml::Table, key: &str| -> Result<String, String> {
            entry
                .get(key)
                .and_then(toml::Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("wrangler.toml: a binding lacks {key}"))
        };
        let mut resources = Vec::new();
        for entry in entries("d1_databases") {
            resources.push(Resource {
                kind: ResourceKind::D1,
                binding: field(&entry, "binding")?,
                name: field(&entry, "database_name")?,
            });
        }
        for entry in entries("kv_namespaces") {
            let binding = field(&entry, "binding")?;
            resources.push(Resource {
                kind: ResourceKind::Kv,
                name: format!("{worker_name}-{binding}"),
                binding,
            });
        }
        if table.contains_key("r2_buckets") {
            return Err("wrangler.toml declares R2 buckets, which `cargo xtask deploy` does not provision yet".into());
        }
        let queues = queues::queues_of(&table)?;
        Ok(Manifest {
            dir: config.parent().unwrap_or(Path::new(".")).to_path_buf(),
            table,
            worker_name,
            resources,
            queues,
        })
    }

    /// The `PUBLIC_URL` of its `[vars]`, when not empty: the retailer's own.
    fn public_url(&self) -> Option<String> {
        self.table
            .get("vars")?
            .get(public_url::VAR)?
            .as_str()
            .map(str::trim)
            .filter(|url| !url.is_empty())
            .map(str::to_owned)
    }

    /// The configuration to deploy with: this one with the resources' ids and, when known, the
    /// `PUBLIC_URL` in its `[vars]`, its paths absolute (it lives in the state folder).
    fn generated(
        &self,
        ids: &std::collections::BTreeMap<String, String>,
        public_url: Option<&str>,
    ) -> Result<String, String> {
        let mut table = self.table.clone();
        if let Some(url) = public_url {
            let vars = table
                .entry("vars")
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .ok_or("wrangler.toml: [vars] is not a table")?;
            vars.insert(public_url::VAR.into(), toml::Value::String(url.to_owned()));
        }
        let absolute = |value: &toml::Value| -> Option<toml::Value> {
            let path = self.dir.join(value.as_str()?);
            Some(toml::Value::String(path_text(&path)))
        };
        if let Some(main) = table.get("main").and_then(absolute) {
            table.insert("main".into(), main);
        }
        if let Some(assets) = table.get_mut("assets").and_then(toml::Value::as_table_mut)
            && let Some(directory) = assets.get("directory").and_then(absolute)
        {
            assets.insert("directory".into(), directory);
        }
        for (key, id_field, kind) in [
            ("d1_databases", "database_id", "d1"),
            ("kv_namespaces", "id", "kv"),
        ] {
            let Some(entries) = table.get_mut(key).and_then(toml::Value::as_array_mut) else {
                continue;
            };
            for entry in entries.iter_mut().filter_map(toml::Value::as_table_mut) {
                let binding = entry
                    .get("binding")
                    .and_then(toml::Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let id = ids
                    .get(&format!("{kind}:{binding}"))
                    .ok_or_else(|| format!("no id for {kind} binding {binding}"))?;
                entry.insert(id_field.into(), toml::Value::String(id.clone()));
                if let Some(dir) = entry.get("migrations_dir").and_then(absolute) {
                    entry.insert("migrations_dir".into(), dir);
                }
            }
        }
        let text = toml::to_string(&table).map_err(|e| e.to_string())?;
        Ok(format!(
            "# Generated by `cargo xtask deploy` from {} with this account's ids. Do not commit.\n{text}",
            path_text(&self.dir.join("wrangler.toml"))
        ))
    }

    /// The D1 migration files, in the order they apply.
    fn migration_files(&self) -> Result<Vec<String>, String> {
        let mut files = Vec::new();
        let dirs: Vec<PathBuf> = self
            .table
            .get("d1_databases")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|entry| {
                entry
                    .get("migrations_dir")?
                    .as_str()
                    .map(|d| self.dir.join(d))
            })
            .collect();
        for dir in dirs {
            let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".sql") {
                    files.push(name);
                }
            }
        }
        files.sort();
        Ok(files)
    }
}

/// The URL of the last `deploy` entry wrangler wrote to its output file.
fn deployed_url(outputs: &Path) -> Option<String> {
    let text = std::fs::read_to_string(outputs).ok()?;
    text.lines()
        .rev()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|entry| entry["type"] == "deploy")
        .filter_map(|entry| {
            entry["targets"]
                .as_array()?
                .first()?
                .as_str()
                .map(str::to_owned)
        })
        .next()
        .map(|url| url.trim_end_matches('/').to_owned())
}

/// 32 random bytes as hex, from the operating system.
fn random_token() -> Result<String, String> {
    use std::io::Read;
    let mut bytes = [0_u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut bytes))
        .map_err(|e| format!("reading /dev/urandom: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Writes a file only its owner can read.
fn write_private(file: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut handle = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(file)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    handle
        .write_all(text.as_bytes())
        .map_err(|e| format!("{}: {e}", file.display()))
}

fn read_trimmed(file: &Path) -> Option<String> {
    std::fs::read_to_string(file)
        .ok()
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn print_indented(output: &str) {
    for line in strip_ansi(output)
        .lines()
        .filter(|line| !line.trim().is_empty())
    {
        println!("  {line}");
    }
}

/// Text without terminal colour codes (wrangler always writes them to stderr).
fn strip_ansi(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for code in chars.by_ref() {
                if code.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}
