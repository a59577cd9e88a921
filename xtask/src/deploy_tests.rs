//! `cargo xtask deploy` against a local stand-in of the Cloudflare API (the D1, Workers KV, Queues
//! and Workers endpoints wrangler calls, on 127.0.0.1, recording every call), with a real Worker on
//! `wrangler dev` standing for the deployed one (the first shop is created on it). Needs the
//! built Worker and widget, as `cargo xtask test` makes them before the tests. The choice of the
//! Worker's `PUBLIC_URL` and the options' parsing are tested on their own.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use waypost_tests::fake_cloudflare::{ACCOUNT_SUBDOMAIN, WRANGLER_ENV_REMOVE};
use waypost_tests::{EdgeServer, FakeCloudflare};

use crate::deploy::public_url::{PublicUrl, https_origin};
use crate::deploy::{DeployOptions, Deployer, DeploymentState};
use crate::toolchain::edge_dir;

const ACCOUNT: &str = "0123456789abcdef0123456789abcdef";
const TOKEN: &str = "test-api-token";
const WORKER: &str = "/workers/scripts/waypost-edge";
const NOTIFICATIONS: &str = "waypost-notifications";
const DEAD_LETTERS: &str = "waypost-notifications-dlq";
/// Queues the account has before the first deploy, more than one page of the list holds.
const OTHER_QUEUES: usize = 21;

/// A folder of its own for this run, removed at the end.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The repository's wrangler configuration with its paths made absolute and its migrations in a
/// folder of the test's (so a test can add one), and a deployer of it pointed at the stand-in.
fn deployer_for(fake: &FakeCloudflare, server: &EdgeServer, dir: &Path) -> Deployer {
    let edge = edge_dir();
    let text = std::fs::read_to_string(edge.join("wrangler.toml")).unwrap();
    let text = text
        .replace(
            "main = \"build/worker/shim.mjs\"",
            &format!("main = {:?}", edge.join("build/worker/shim.mjs")),
        )
        .replace(
            "directory = \"../widget/dist\"",
            &format!("directory = {:?}", edge.join("../widget/dist")),
        )
        .replace(
            "migrations_dir = \"migrations\"",
            &format!("migrations_dir = {:?}", dir.join("migrations")),
        );
    std::fs::create_dir_all(dir.join("edge")).unwrap();
    std::fs::write(dir.join("edge/wrangler.toml"), text).unwrap();
    let home = dir.join("home");
    let mut env = fake.wrangler_env();
    env.extend(
        WRANGLER_ENV_REMOVE
            .iter()
            .map(|name| ((*name).to_owned(), String::new())),
    );
    env.push(("HOME".into(), home.to_string_lossy().into_owned()));
    env.push((
        "XDG_CONFIG_HOME".into(),
        home.join(".config").to_string_lossy().into_owned(),
    ));
    Deployer {
        config: dir.join("edge/wrangler.toml"),
        wrangler: edge.join("node_modules/.bin/wrangler"),
        state: dir.join("edge/.deploy"),
        env,
        url: Some(server.base_url.clone()),
        public_url: None,
        admin_token: Some(server.admin_token.clone()),
        shop_name: "Test shop".into(),
        origins: vec!["https://store.example".into()],
    }
}

/// The repository's migration files, in order.
fn migration_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(edge_dir().join("migrations"))
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    files.sort();
    files
}

fn copy_into(dir: &Path, file: &Path) {
    std::fs::copy(file, dir.join(file.file_name().unwrap())).unwrap();
}

/// `POST`s that create a resource: to the collection's own path (`.../d1/database`), not to one of
/// its members (`.../d1/database/<id>/query`).
fn creations(fake: &FakeCloudflare, collection: &str) -> usize {
    fake.calls()
        .iter()
        .filter(|call| call.method == "POST" && call.path.ends_with(collection))
        .count()
}

/// The notification queues are there, the Worker produces to the first and consumes both, the
/// first's failures going to the second; answers their (id, consumer id).
fn assert_queues_attached(fake: &FakeCloudflare) -> [(String, String); 2] {
    let mut found = Vec::new();
    for (name, dead_letter) in [(NOTIFICATIONS, Some(DEAD_LETTERS)), (DEAD_LETTERS, None)] {
        let queue = fake
            .queue(name)
            .unwrap_or_else(|| panic!("{name}: {:#?}", fake.queues()));
        assert_eq!(queue.consumers.len(), 1, "{name}: {queue:#?}");
        let consumer = &queue.consumers[0];
        assert_eq!(consumer.script, "waypost-edge");
        assert_eq!(consumer.dead_letter_queue.as_deref(), dead_letter);
        assert_eq!(consumer.settings["batch_size"], 10, "{consumer:?}");
        assert_eq!(consumer.settings["max_wait_time_ms"], 1000, "{consumer:?}");
        let producers: &[&str] = if name == NOTIFICATIONS {
            &["waypost-edge"]
        } else {
            &[]
        };
        assert_eq!(queue.producers, producers, "{name}");
        found.push((queue.id, consumer.id.clone()));
    }
    let notifications = fake.queue(NOTIFICATIONS).unwrap();
    assert_eq!(notifications.consumers[0].settings["max_retries"], 8);
    [found[0].clone(), found[1].clone()]
}

fn name_of(file: &Path) -> String {
    file.file_name().unwrap().to_string_lossy().into_owned()
}

/// The Worker's plain-text var `name` as its latest upload set it.
fn var(fake: &FakeCloudflare, name: &str) -> Option<String> {
    fake.worker("waypost-edge")?
        .vars
        .into_iter()
        .find(|(var, _)| var == name)
        .map(|(_, text)| text)
}

/// The deployment state the deployer keeps.
fn saved_state(deployer: &Deployer) -> DeploymentState {
    let text = std::fs::read_to_string(deployer.state.join("deployment.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn deploys_once_upgrades_in_place_and_completes_after_a_failure() {
    let scratch =
        Scratch(std::env::temp_dir().join(format!("waypost-deploy-{}", std::process::id())));
    let dir = &scratch.0;
    let fake = FakeCloudflare::start(ACCOUNT, TOKEN).expect("the stand-in starts");
    let server = EdgeServer::start_for_tests().expect("the Worker starts");
    let deployer = deployer_for(&fake, &server, dir);
    let files = migration_files();
    let (earlier, newest) = files.split_at(files.len() - 1);
    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    for file in earlier {
        copy_into(&dir.join("migrations"), file);
    }
    for n in 0..OTHER_QUEUES {
        fake.add_queue(&format!("another-app-{n:02}"));
    }

    // A first deploy that fails halfway: the Worker upload is refused.
    fake.fail_next("PUT", WORKER, 400);
    let error = deployer.run().expect_err("the upload was refused");
    assert!(error.contains("uploading the Worker"), "{error}");
    assert!(error.contains("run `cargo xtask deploy` again"), "{error}");
    assert!(
        fake.worker("waypost-edge").is_none(),
        "nothing was deployed"
    );
    assert_eq!(
        creations(&fake, "/queues"),
        2,
        "both queues before the upload"
    );
    assert!(fake.queue(NOTIFICATIONS).unwrap().consumers.is_empty());

    // Run again: it completes, creating nothing twice. Its PUBLIC_URL is known only from what
    // the upload reports (the workers.dev URL), so it uploads the Worker once more with it.
    let workers_dev = format!("https://waypost-edge.{ACCOUNT_SUBDOMAIN}.workers.dev");
    let report = deployer.run().expect("the second run completes");
    assert_eq!(report.uploads, 2, "a first install uploads twice");
    assert_eq!(fake.worker("waypost-edge").unwrap().uploads, 2);
    assert_eq!(var(&fake, "PUBLIC_URL"), Some(workers_dev.clone()));
    assert_eq!(report.public_url.as_deref(), Some(workers_dev.as_str()));
    assert_eq!(
        saved_state(&deployer).public_url.as_deref(),
        Some(workers_dev.as_str()),
        "kept for the upgrades"
    );
    assert_eq!(
        var(&fake, "EMAIL_BASE_URL").as_deref(),
        Some("https://api.postmarkapp.com"),
        "the other vars are set as wrangler.toml has them"
    );
    assert_eq!(creations(&fake, "/d1/database"), 1, "{:#?}", fake.calls());
    assert_eq!(creations(&fake, "/storage/kv/namespaces"), 1);
    let databases = fake.d1_databases();
    assert_eq!(databases.len(), 1);
    assert_eq!(databases[0].0, "waypost");
    let db = databases[0].1.clone();
    let titles: Vec<String> = fake
        .kv_namespaces()
        .into_iter()
        .map(|(title, _)| title)
        .collect();
    assert_eq!(titles, ["waypost-edge-CARRIER_CACHE"]);
    assert_eq!(creations(&fake, "/queues"), 2, "{:#?}", fake.calls());
    assert_eq!(fake.queues().len(), OTHER_QUEUES + 2);
    let queues = assert_queues_attached(&fake);
    for (name, (id, _)) in [NOTIFICATIONS, DEAD_LETTERS].iter().zip(&queues) {
        assert!(
            report
                .resources
                .contains(&("Queue".into(), (*name).to_owned(), id.clone(), false)),
            "made by the failed run, found by this one: {:?}",
            report.resources
        );
    }
    let applied = fake.migrations(&db);
    let expected: Vec<String> = earlier.iter().map(|file| name_of(file)).collect();
    assert_eq!(applied, expected, "every migration, once, in order");
    for (name, sql) in fake.migration_sql(&db) {
        let file = std::fs::read_to_string(dir.join("migrations").join(&name)).unwrap();
        assert!(sql.contains(file.trim()), "{name} was sent as written");
    }
    let worker = fake.worker("waypost-edge").expect("the Worker is deployed");
    let secrets: Vec<&str> = worker
        .secrets
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(secrets, ["ADMIN_TOKEN", "INTEGRATIONS_KEY"]);
    assert!(
        worker
            .secrets
            .contains(&("ADMIN_TOKEN".into(), server.admin_token.clone()))
    );
    for binding in [
        ("d1", "DB"),
        ("kv_namespace", "CARRIER_CACHE"),
        ("queue", "NOTIFY_QUEUE"),
    ] {
        assert!(
            worker
                .bindings
                .contains(&(binding.0.into(), binding.1.into())),
            "{:?}",
            worker.bindings
        );
    }
    assert_eq!(worker.schedules, ["*/15 * * * *"]);
    assert!(fake.unhandled().is_empty(), "{:#?}", fake.unhandled());

    // The first shop, on the Worker the deploy points at; its secret key kept for the owner only.
    let (shop, created) = report.shop.clone().expect("the first shop");
    assert!(created);
    let answer = server
        .client()
        .get(&format!(
            "/v1/track/1Z5R89390357567127?key={}",
            shop.publishable_key
        ))
        .send()
        .unwrap();
    assert_eq!(
        answer.status,
        404,
        "a valid key of an empty shop: {}",
        answer.text()
    );
    let secret_key = std::fs::metadata(&report.secret_key_file).unwrap();
    assert_eq!(secret_key.permissions().mode() & 0o777, 0o600);
    let generated = std::fs::read_to_string(&report.config_file).unwrap();
    assert!(
        generated.contains(&db),
        "the generated config holds the account's ids"
    );
    assert_eq!(
        report.new_admin_token.as_deref(),
        Some(server.admin_token.as_str())
    );

    // A new migration, and the deploy again: nothing created, only that migration applied, the
    // Worker uploaded anew with its secrets kept, the shop kept.
    copy_into(&dir.join("migrations"), &newest[0]);
    let uploads = worker.uploads;
    fake.clear_calls();
    let again = deployer.run().expect("the upgrade completes");
    assert_eq!(creations(&fake, "/d1/database"), 0, "{:#?}", fake.calls());
    assert_eq!(creations(&fake, "/storage/kv/namespaces"), 0);
    assert_eq!(creations(&fake, "/queues"), 0, "no queue made twice");
    assert_eq!(fake.queues().len(), OTHER_QUEUES + 2);
    assert_eq!(
        assert_queues_attached(&fake),
        queues,
        "the same queues, their consumers updated in place"
    );
    assert_eq!(
        fake.queue(NOTIFICATIONS).unwrap().consumers[0].writes,
        3,
        "written by each upload: the first install's two and the upgrade's one"
    );
    assert!(
        again
            .resources
            .iter()
            .filter(|(label, ..)| label == "Queue")
            .all(|(.., created)| !created)
    );
    let applied = fake.migrations(&db);
    assert_eq!(applied.len(), files.len());
    assert_eq!(applied.last(), Some(&name_of(&newest[0])));
    let sent_now: usize = fake
        .calls()
        .iter()
        .filter(|call| {
            call.body
                .as_ref()
                .and_then(|body| body["sql"].as_str())
                .is_some_and(|sql| sql.contains("INSERT INTO d1_migrations"))
        })
        .count();
    assert_eq!(sent_now, 1, "only the new migration is applied");
    let worker = fake.worker("waypost-edge").unwrap();
    assert_eq!(
        worker.uploads,
        uploads + 1,
        "the new Worker is uploaded once"
    );
    assert_eq!(again.uploads, 1);
    assert_eq!(
        var(&fake, "PUBLIC_URL"),
        Some(workers_dev.clone()),
        "PUBLIC_URL kept"
    );
    assert_eq!(worker.secrets.len(), 2, "its secrets are kept");
    assert!(again.new_admin_token.is_none(), "no new admin token");
    let (kept, created) = again.shop.expect("the shop is kept");
    assert!(!created);
    assert_eq!(kept.shop_id, shop.shop_id);
    assert!(fake.unhandled().is_empty(), "{:#?}", fake.unhandled());

    // Another machine (no state folder, no admin token) deploys the same account with the
    // retailer's own PUBLIC_URL (a custom domain): nothing created, the Worker's secrets left as
    // they are (a new INTEGRATIONS_KEY would lock every shop's integrations out), their
    // PUBLIC_URL set in one upload, and it says how to create the shop it cannot see.
    let secrets = fake.worker("waypost-edge").unwrap().secrets;
    let uploads = fake.worker("waypost-edge").unwrap().uploads;
    std::fs::remove_dir_all(&deployer.state).unwrap();
    let mut other_machine = deployer_for(&fake, &server, dir);
    other_machine.admin_token = None;
    other_machine.public_url = Some("https://track.store.example".into());
    fake.clear_calls();
    let third = other_machine.run().expect("a deploy from another machine");
    assert_eq!(third.uploads, 1);
    assert_eq!(fake.worker("waypost-edge").unwrap().uploads, uploads + 1);
    assert_eq!(
        var(&fake, "PUBLIC_URL").as_deref(),
        Some("https://track.store.example")
    );
    assert_eq!(
        saved_state(&other_machine).public_url.as_deref(),
        Some("https://track.store.example")
    );
    assert_eq!(creations(&fake, "/d1/database"), 0);
    assert_eq!(creations(&fake, "/storage/kv/namespaces"), 0);
    assert_eq!(creations(&fake, "/queues"), 0);
    assert_eq!(assert_queues_attached(&fake), queues);
    assert_eq!(fake.worker("waypost-edge").unwrap().secrets, secrets);
    assert!(third.new_admin_token.is_none());
    assert!(third.shop.is_none());
    let note = third.shop_note.unwrap_or_default();
    assert!(note.contains("WAYPOST_ADMIN_TOKEN"), "{note}");
    assert!(fake.unhandled().is_empty(), "{:#?}", fake.unhandled());
}

#[test]
fn a_deploy_without_a_login_says_what_to_do_and_touches_nothing() {
    let scratch =
        Scratch(std::env::temp_dir().join(format!("waypost-deploy-login-{}", std::process::id())));
    let home = scratch.0.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let edge = edge_dir();
    let mut env: Vec<(String, String)> = WRANGLER_ENV_REMOVE
        .iter()
        .map(|name| ((*name).to_owned(), String::new()))
        .collect();
    env.extend([
        ("CLOUDFLARE_API_TOKEN".to_owned(), String::new()),
        ("CLOUDFLARE_ACCOUNT_ID".to_owned(), String::new()),
        ("HOME".to_owned(), home.to_string_lossy().into_owned()),
        (
            "XDG_CONFIG_HOME".to_owned(),
            home.join(".config").to_string_lossy().into_owned(),
        ),
    ]);
    let deployer = Deployer {
        config: edge.join("wrangler.toml"),
        wrangler: edge.join("node_modules/.bin/wrangler"),
        state: scratch.0.join("state"),
        env,
        url: None,
        public_url: None,
        admin_token: None,
        shop_name: "Test shop".into(),
        origins: Vec::new(),
    };
    let error = deployer.run().expect_err("no login");
    assert!(error.contains("wrangler login"), "{error}");
    assert!(error.contains("CLOUDFLARE_API_TOKEN"), "{error}");
    for file in ["deployment.json", "wrangler.toml", "admin-token"] {
        assert!(
            !scratch.0.join("state").join(file).exists(),
            "{file} written before the login check"
        );
    }
}

#[test]
fn the_public_url_is_theirs_then_the_last_deploys_then_learned() {
    let theirs = |url: &str| PublicUrl::Theirs(url.to_owned());
    assert_eq!(
        PublicUrl::choose(
            Some("https://track.store.example/"),
            Some("https://other.example"),
            Some("https://kept.example")
        ),
        Ok(theirs("https://track.store.example"))
    );
    assert_eq!(
        PublicUrl::choose(
            None,
            Some("https://other.example"),
            Some("https://kept.example")
        ),
        Ok(theirs("https://other.example"))
    );
    assert_eq!(
        PublicUrl::choose(None, Some(" "), Some("https://kept.example")),
        Ok(PublicUrl::Kept("https://kept.example".into())),
        "an empty PUBLIC_URL in wrangler.toml is unset"
    );
    assert_eq!(
        PublicUrl::choose(None, Some(""), None),
        Ok(PublicUrl::Learned)
    );
    assert_eq!(PublicUrl::Learned.known(), None);
    assert!(PublicUrl::Learned.plan().contains("upload once more"));
    let error = PublicUrl::choose(None, Some("http://shop.example"), None).unwrap_err();
    assert!(error.contains("wrangler.toml"), "{error}");
    let error = PublicUrl::choose(Some("https://shop.example/track"), None, None).unwrap_err();
    assert!(error.contains("--public-url"), "{error}");
}

#[test]
fn a_public_url_is_an_https_origin() {
    for (url, origin) in [
        ("https://track.store.example", "https://track.store.example"),
        (
            "https://track.store.example/",
            "https://track.store.example",
        ),
        ("https://shop.example:8443", "https://shop.example:8443"),
        (
            " https://waypost-edge.x.workers.dev ",
            "https://waypost-edge.x.workers.dev",
        ),
    ] {
        assert_eq!(https_origin(url).as_deref(), Ok(origin), "{url}");
    }
    for url in [
        "",
        "track.store.example",
        "http://track.store.example",
        "https://",
        "https://track.store.example/unsubscribe",
        "https://track.store.example?x=1",
        "https://track.store.example#top",
        "https://user@track.store.example",
        "https://track.store.example:port",
        "https://-track.example",
    ] {
        assert!(https_origin(url).is_err(), "{url:?}");
    }
}

#[test]
fn deploy_options_read_the_public_url() {
    let args = |list: &[&str]| -> Vec<String> { list.iter().map(|a| (*a).to_owned()).collect() };
    let options =
        DeployOptions::parse(&args(&["--public-url", "https://track.store.example/"])).unwrap();
    assert_eq!(
        options.public_url.as_deref(),
        Some("https://track.store.example")
    );
    let error = DeployOptions::parse(&args(&["--public-url", "https://a.example/x"])).unwrap_err();
    assert!(error.contains("--public-url"), "{error}");
    assert!(DeployOptions::parse(&args(&["--public-url"])).is_err());

    // A custom domain given as `--url` is the public one too; a local address is not.
    let custom = DeployOptions::parse(&args(&["--url", "https://track.store.example"])).unwrap();
    assert_eq!(
        Deployer::for_repository(&custom).public_url.as_deref(),
        Some("https://track.store.example")
    );
    let local = DeployOptions::parse(&args(&["--url", "http://127.0.0.1:8787"])).unwrap();
    assert_eq!(Deployer::for_repository(&local).public_url, None);
    let both = DeployOptions::parse(&args(&[
        "--url",
        "https://a.example",
        "--public-url",
        "https://b.example",
    ]))
    .unwrap();
    assert_eq!(
        Deployer::for_repository(&both).public_url.as_deref(),
        Some("https://b.example")
    );
}
