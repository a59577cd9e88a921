//! The route table: which handler answers which method and path, behind which credentials and
//! with which CORS rule. Handlers are thin: parse, call the service, map the result.

mod admin;
mod carrier_push;
mod console;
mod customers;
mod detect;
mod imports;
mod integrations;
mod meta;
mod notifications;
mod orders;
mod shipments;
mod shop;
mod subscriptions;
mod track;
mod webhooks;

use waypost_shared::wire::Platform;
use worker::{Method, Response};

use crate::app::App;
use crate::error::{EdgeError, Result};
use crate::http::cors::{self, Cors};
use crate::http::rate_limit;
use crate::http::request::Incoming;
use crate::http::response::{self, set};
use crate::service::auth;
use crate::service::console_sessions::SESSION_COOKIE;
use crate::service::store::ShopRecord;

/// Every route, grouped by the credentials it takes.
enum Route {
    /// No credentials, any origin.
    Open(Open),
    /// A publishable key; the shop's origins.
    Public(Public),
    /// A secret key, or the console's session cookie from the Worker's own origin; no
    /// cross-origin browser.
    Private(Private),
    /// The console's session itself: signing in with a secret key, reading it, signing out.
    Console(Console),
    /// The admin token; no browser.
    Admin(Admin),
    /// A platform's signature over the body, with the shop's webhook secret; no browser.
    Signed(Signed),
}

enum Open {
    Healthz,
    Document,
    Carriers,
    /// The page of an email's unsubscribe link (`GET`), or unsubscribing (`POST`); the token is
    /// the credential.
    Unsubscribe {
        apply: bool,
    },
    /// The page of an opt-in's confirmation link (`GET`), or confirming (`POST`).
    ConfirmSubscription {
        apply: bool,
    },
}

enum Public {
    Detect,
    Track(String),
    GetOrder(String),
    Subscribe(String),
}

enum Private {
    PutOrder(String),
    PutShipment(String),
    PushEvents(String),
    GetShipment(String),
    ListShipments,
    ExportShipments,
    CountShipments,
    GetShop,
    PatchShop,
    RotatePublishableKey,
    ExportCustomer,
    EraseCustomer,
    Import,
    PutIntegration(Platform),
    GetIntegration(Platform),
    DeleteIntegration(Platform),
    GetNotificationSettings,
    PutNotificationSettings,
    AddWebhookEndpoint,
    ListWebhookEndpoints,
    DeleteWebhookEndpoint(String),
    ListNotifications,
}

enum Console {
    SignIn,
    Show,
    SignOut,
}

enum Signed {
    /// A platform's webhook for a shop.
    Webhook(Platform, String),
    /// The aggregator's push about a number.
    CarrierPush,
}

enum Admin {
    CreateShop,
    CreateKey(String),
    RevokeKey(String, String),
}

/// The methods a route can have (`OPTIONS` is the preflight, answered for browser routes only).
const METHODS: [Method; 5] = [
    Method::Get,
    Method::Post,
    Method::Put,
    Method::Patch,
    Method::Delete,
];

impl Route {
    /// The route for a method and path: the one table of what the API serves.
    fn parse(method: &Method, path: &[&str]) -> Option<Route> {
        use Method::{Delete, Get, Patch, Post, Put};
        let owned = |s: &str| s.to_owned();
        let route = match (method, path) {
            (Get, ["healthz"]) => Route::Open(Open::Healthz),
            (Get, ["v1", "openapi.json"]) => Route::Open(Open::Document),
            (Get, ["v1", "carriers"]) => Route::Open(Open::Carriers),
            (Get, ["v1", "unsubscribe"]) => Route::Open(Open::Unsubscribe { apply: false }),
            (Post, ["v1", "unsubscribe"]) => Route::Open(Open::Unsubscribe { apply: true }),
            (Get, ["v1", "subscriptions", "confirm"]) => {
                Route::Open(Open::ConfirmSubscription { apply: false })
            }
            (Post, ["v1", "subscriptions", "confirm"]) => {
                Route::Open(Open::ConfirmSubscription { apply: true })
            }
            (Post, ["v1", "track", number, "subscriptions"]) => {
                Route::Public(Public::Subscribe(owned(number)))
            }
            (Post, ["v1", "detect"]) => Route::Public(Public::Detect),
            (Get, ["v1", "track", number]) => Route::Public(Public::Track(owned(number))),
            (Get, ["v1", "orders", order]) => Route::Public(Public::GetOrder(owned(order))),
            (Put, ["v1", "orders", order]) => Route::Private(Private::PutOrder(owned(order))),
            (Put, ["v1", "shipments", number]) => {
                Route::Private(Private::PutShipment(owned(number)))
            }
            (Post, ["v1", "shipments", number, "events"]) => {
                Route::Private(Private::PushEvents(owned(number)))
            }
            (Get, ["v1", "shipments"]) => Route::Private(Private::ListShipments),
            (Get, ["v1", "shipments.csv"]) => Route::Private(Private::ExportShipments),
            (Get, ["v1", "shipments", "counts"]) => Route::Private(Private::CountShipments),
            (Get, ["v1", "shop"]) => Route::Private(Private::GetShop),
            (Patch, ["v1", "shop"]) => Route::Private(Private::PatchShop),
            (Post, ["v1", "shop", "publishable-key"]) => {
                Route::Private(Private::RotatePublishableKey)
            }
            (Get, ["v1", "shipments", number]) => {
                Route::Private(Private::GetShipment(owned(number)))
            }
            (Get, ["v1", "customers"]) => Route::Private(Private::ExportCustomer),
            (Delete, ["v1", "customers"]) => Route::Private(Private::EraseCustomer),
            (Post, ["v1", "imports"]) => Route::Private(Private::Import),
            (Put, ["v1", "integrations", platform]) => {
                Route::Private(Private::PutIntegration(Platform::from_wire(platform)?))
            }
            (Get, ["v1", "integrations", platform]) => {
                Route::Private(Private::GetIntegration(Platform::from_wire(platform)?))
            }
            (Delete, ["v1", "integrations", platform]) => {
                Route::Private(Private::DeleteIntegration(Platform::from_wire(platform)?))
            }
            (Get, ["v1", "notifications", "settings"]) => {
                Route::Private(Private::GetNotificationSettings)
            }
            (Put, ["v1", "notifications", "settings"]) => {
                Route::Private(Private::PutNotificationSettings)
            }
            (Post, ["v1", "notifications", "webhooks"]) => {
                Route::Private(Private::AddWebhookEndpoint)
            }
            (Get, ["v1", "notifications", "webhooks"]) => {
                Route::Private(Private::ListWebhookEndpoints)
            }
            (Delete, ["v1", "notifications", "webhooks", id]) => {
                Route::Private(Private::DeleteWebhookEndpoint(owned(id)))
            }
            (Get, ["v1", "notifications"]) => Route::Private(Private::ListNotifications),
            (Post, ["v1", "console", "session"]) => Route::Console(Console::SignIn),
            (Get, ["v1", "console", "session"]) => Route::Console(Console::Show),
            (Delete, ["v1", "console", "session"]) => Route::Console(Console::SignOut),
            (Post, ["v1", "webhooks", "17track"]) => Route::Signed(Signed::CarrierPush),
            (Post, ["v1", "webhooks", platform, shop]) => {
                Route::Signed(Signed::Webhook(Platform::from_wire(platform)?, owned(shop)))
            }
            (Post, ["v1", "admin", "shops"]) => Route::Admin(Admin::CreateShop),
            (Post, ["v1", "admin", "shops", shop, "keys"]) => {
                Route::Admin(Admin::CreateKey(owned(shop)))
            }
            (Delete, ["v1", "admin", "shops", shop, "keys", key]) => {
                Route::Admin(Admin::RevokeKey(owned(shop), owned(key)))
            }
            _ => return None,
        };
        Some(route)
    }

    /// Whether a page of another origin may call it (CORS); secret keys, the console's session
    /// and the admin token never travel from one.
    fn browser(&self) -> bool {
        matches!(self, Route::Open(_) | Route::Public(_))
    }
}

/// What a path answers, read off [`Route::parse`]: every method, and those a browser may call.
struct PathMethods {
    all: Vec<Method>,
    browser: Vec<Method>,
}

impl PathMethods {
    fn of(path: &[&str]) -> Self {
        let mut methods = PathMethods {
            all: Vec::new(),
            browser: Vec::new(),
        };
        for method in METHODS {
            if let Some(route) = Route::parse(&method, path) {
                if route.browser() {
                    methods.browser.push(method.clone());
                }
                methods.all.push(method);
            }
        }
        methods
    }

    /// `GET, PUT`: for `Allow` and `Access-Control-Allow-Methods`.
    fn list(methods: &[Method]) -> String {
        let names: Vec<&str> = methods.iter().map(AsRef::as_ref).collect();
        names.join(", ")
    }

    /// The 405 for a method the path does not answer; private and admin paths stay closed to
    /// browsers in it too.
    fn not_allowed(&self) -> (Dressing, EdgeError) {
        let cors = if self.browser.is_empty() {
            Cors::None
        } else {
            Cors::Any
        };
        let mut allow = self.all.clone();
        if !self.browser.is_empty() {
            allow.push(Method::Options);
        }
        let error = EdgeError::MethodNotAllowed {
            allow: PathMethods::list(&allow),
        };
        (Dressing::new(cors), error)
    }
}

/// How an answer is to be dressed, whatever its outcome.
pub struct Dressing {
    /// Which origins may read it.
    pub cors: Cors,
    /// Whether the route is rate limited (and says so in `RateLimit-Policy`).
    pub rate_limited: bool,
    /// Whether the answer is a shop's own (`Cache-Control: no-store`: no cache, and no page kept
    /// for the back button after signing out, holds it).
    pub private: bool,
}

impl Dressing {
    fn new(cors: Cors) -> Self {
        Dressing {
            cors,
            rate_limited: false,
            private: false,
        }
    }

    /// A shop's own answer, for no browser of another origin and kept nowhere.
    fn private() -> Self {
        Dressing {
            private: true,
            ..Dressing::new(Cors::None)
        }
    }

    /// Adds the headers to an answer.
    pub fn apply(&self, response: &mut Response, origin: Option<&str>) -> Result<()> {
        if self.rate_limited {
            set(response, "RateLimit-Policy", rate_limit::POLICY)?;
        }
        if self.private {
            set(response, "Cache-Control", "no-store")?;
        }
        self.cors.apply(response, origin)
    }
}

/// Finds and runs the handler for a request; how to dress the answer comes back with it.
pub async fn dispatch(app: &App<'_>, mut req: Incoming) -> (Dressing, Result<Response>) {
    let path = req.path();
    let route = req
        .method
        .as_ref()
        .and_then(|method| Route::parse(method, &path));
    let Some(route) = route else {
        // Not a route: a preflight, a method the path does not answer, or no such path.
        let methods = PathMethods::of(&path);
        if methods.all.is_empty() {
            let error = EdgeError::NoRoute(format!("/{}", path.join("/")));
            return (Dressing::new(Cors::Any), Err(error));
        }
        if req.method == Some(Method::Options) && !methods.browser.is_empty() {
            let allowed = PathMethods::list(&methods.browser);
            return (
                Dressing::new(Cors::None),
                preflight(app, &req, &allowed).await,
            );
        }
        let (dressing, error) = methods.not_allowed();
        return (dressing, Err(error));
    };
    match route {
        Route::Open(Open::Healthz) => (Dressing::new(Cors::Any), meta::healthz()),
        Route::Open(Open::Document) => (Dressing::new(Cors::Any), meta::openapi()),
        Route::Open(Open::Carriers) => (Dressing::new(Cors::Any), detect::carriers()),
        Route::Open(Open::Unsubscribe { apply }) => (
            Dressing::new(Cors::None),
            subscriptions::unsubscribe(app, &req, apply).await,
        ),
        Route::Open(Open::ConfirmSubscription { apply }) => (
            Dressing::new(Cors::None),
            subscriptions::confirm(app, &req, apply).await,
        ),
        Route::Public(route) => {
            let shop = match public_shop(app, &req).await {
                Ok(shop) => shop,
                Err(error) => {
                    return (
                        Dressing {
                            cors: Cors::Any,
                            rate_limited: true,
                            private: false,
                        },
                        Err(error),
                    );
                }
            };
            let result = match route {
                Public::Detect => detect::detect(&mut req).await,
                Public::Track(number) => track::get(app, &shop, &req, &number).await,
                Public::GetOrder(order) => orders::get(app, &shop, &req, &order).await,
                Public::Subscribe(number) => {
                    subscriptions::subscribe(app, &shop, &mut req, &number).await
                }
            };
            (
                Dressing {
                    cors: Cors::Shop(shop.allowed_origins),
                    rate_limited: true,
                    private: false,
                },
                result,
            )
        }
        Route::Private(route) => (Dressing::private(), private(app, &mut req, route).await),
        Route::Console(route) => {
            let result = match route {
                Console::SignIn => console::sign_in(app, &mut req).await,
                Console::Show => console::show(app, &req).await,
                Console::SignOut => console::sign_out(app, &req).await,
            };
            (Dressing::private(), result)
        }
        Route::Admin(route) => (Dressing::new(Cors::None), admin(app, &mut req, route).await),
        Route::Signed(Signed::Webhook(platform, shop)) => (
            Dressing::new(Cors::None),
            webhooks::receive(app, &mut req, platform, &shop).await,
        ),
        Route::Signed(Signed::CarrierPush) => (
            Dressing::new(Cors::None),
            carrier_push::receive(app, &mut req).await,
        ),
    }
}

async fn private(app: &App<'_>, req: &mut Incoming, route: Private) -> Result<Response> {
    let shop = private_shop(app, req).await?;
    match route {
        Private::PutOrder(order) => orders::put(app, &shop, req, &order).await,
        Private::PutShipment(number) => shipments::put(app, &shop, req, &number).await,
        Private::PushEvents(number) => shipments::push_events(app, &shop, req, &number).await,
        Private::GetShipment(number) => shipments::get(app, &shop, req, &number).await,
        Private::ListShipments => shipments::list(app, &shop, req).await,
        Private::ExportShipments => shipments::export(app, &shop, req).await,
        Private::CountShipments => shipments::counts(app, &shop).await,
        Private::GetShop => shop::get(app, &shop).await,
        Private::PatchShop => shop::patch(app, &shop, req).await,
        Private::RotatePublishableKey => shop::rotate_publishable_key(app, &shop).await,
        Private::ExportCustomer => customers::export(app, &shop, req).await,
        Private::EraseCustomer => customers::erase(app, &shop, req).await,
        Private::Import => imports::import(app, &shop, req).await,
        Private::PutIntegration(platform) => integrations::put(app, &shop, req, platform).await,
        Private::GetIntegration(platform) => integrations::get(app, &shop, req, platform).await,
        Private::DeleteIntegration(platform) => integrations::delete(app, &shop, platform).await,
        Private::GetNotificationSettings => notifications::get_settings(app, &shop).await,
        Private::PutNotificationSettings => notifications::put_settings(app, &shop, req).await,
        Private::AddWebhookEndpoint => notifications::add_endpoint(app, &shop, req).await,
        Private::ListWebhookEndpoints => notifications::list_endpoints(app, &shop).await,
        Private::DeleteWebhookEndpoint(id) => notifications::delete_endpoint(app, &shop, &id).await,
        Private::ListNotifications => notifications::list(app, &shop, req).await,
    }
}

/// The shop a private request speaks for: the secret key's (`Authorization: Bearer sk_...`), else
/// the console session's (its cookie, under [`console::session`]'s checks). Never a shop the URL
/// names, so one shop's credentials reach nothing of another's.
async fn private_shop(app: &App<'_>, req: &Incoming) -> Result<ShopRecord> {
    let bearer = req.bearer();
    if bearer.is_none() && req.cookie(SESSION_COOKIE).is_some() {
        return Ok(console::session(app, req).await?.shop);
    }
    auth::secret_shop(&app.store, bearer.as_deref()).await
}

async fn admin(app: &App<'_>, req: &mut Incoming, route: Admin) -> Result<Response> {
    auth::check_admin(app.admin_token().as_deref(), req.bearer().as_deref())?;
    match route {
        Admin::CreateShop => admin::create_shop(app, req).await,
        Admin::CreateKey(shop) => admin::create_key(app, req, &shop).await,
        Admin::RevokeKey(shop, key) => admin::revoke_key(app, &shop, &key).await,
    }
}

/// Rate limits (per IP, then per key) and the publishable key's shop.
async fn public_shop(app: &App<'_>, req: &Incoming) -> Result<ShopRecord> {
    rate_limit::check(app.env, rate_limit::PER_IP, &req.client_ip()).await?;
    let key = req.publishable_key();
    let shop = auth::publishable_shop_cached(&app.store, &app.answers(), key.as_deref()).await?;
    rate_limit::check(
        app.env,
        rate_limit::PER_KEY,
        key.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok(shop)
}

/// `OPTIONS` on a browser route: allowed when the `?key=` shop lists the `Origin`, for the
/// path's browser methods only.
async fn preflight(app: &App<'_>, req: &Incoming, methods: &str) -> Result<Response> {
    let origin = req.origin().ok_or_else(|| {
        EdgeError::bad_request("not_a_preflight", "preflight requests carry an Origin")
    })?;
    let shop = auth::publishable_shop_cached(&app.store, &app.answers(), req.param("key")).await?;
    if !cors::allows(&shop.allowed_origins, &origin) {
        return Err(EdgeError::Forbidden(
            "this origin is not allowed for this shop",
        ));
    }
    let mut response = response::no_content()?;
    cors::preflight(&mut response, &origin, methods)?;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::openapi;

    /// The schemes the document names for an operation.
    fn schemes(operation: &Value) -> Vec<&str> {
        operation["security"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .flat_map(|requirement| requirement.keys().map(String::as_str))
            .collect()
    }

    /// The schemes the document must name for a route: the credentials it takes.
    fn credentials(route: &Route) -> &'static [&'static str] {
        match route {
            Route::Open(_) | Route::Signed(_) | Route::Console(Console::SignIn) => &[],
            Route::Public(_) => &["publishable", "publishable_bearer"],
            Route::Private(_) => &["secret", "console_session"],
            Route::Console(_) => &["console_session"],
            Route::Admin(_) => &["admin"],
        }
    }

    /// Whether the document has `method` on a path template that `segments` fill.
    fn documented(paths: &serde_json::Map<String, Value>, method: &str, segments: &[&str]) -> bool {
        paths.iter().any(|(template, operations)| {
            let parts: Vec<&str> = template.split('/').filter(|p| !p.is_empty()).collect();
            parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(segments)
                    .all(|(part, segment)| part.starts_with('{') || part == segment)
                && !operations[method].is_null()
        })
    }

    /// Every operation the OpenAPI document describes is a route behind the credentials the
    /// document names, and its paths answer no method the document leaves out.
    #[test]
    fn the_document_describes_the_routes() {
        let document = openapi::document();
        let paths = document["paths"].as_object().expect("paths");
        for (path, operations) in paths {
            let segments: Vec<&str> = path
                .split('/')
                .filter(|segment| !segment.is_empty())
                .map(|segment| match segment {
                    "{platform}" => "shopify",
                    other if other.starts_with('{') => "1Z5R89390357567127",
                    other => other,
                })
                .collect();
            for method in METHODS {
                let name = method.as_ref().to_ascii_lowercase();
                let operation = &operations[name.as_str()];
                match Route::parse(&method, &segments) {
                    Some(route) if !operation.is_null() => {
                        assert_eq!(schemes(operation), credentials(&route), "{method} {path}");
                    }
                    Some(_) => assert!(
                        documented(paths, &name, &segments),
                        "{method} {path} is routed, not documented"
                    ),
                    None => assert!(
                        operation.is_null(),
                        "{method} {path} is documented, not routed"
                    ),
                }
            }
        }
    }
}
