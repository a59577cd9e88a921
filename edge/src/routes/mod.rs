//! The route table: which handler answers which method and path, behind which credentials and
//! with which CORS rule. Handlers are thin: parse, call the service, map the result.

mod admin;
mod detect;
mod meta;
mod orders;
mod shipments;
mod track;

use worker::{Method, Response};

use crate::app::App;
use crate::error::{EdgeError, Result};
use crate::http::cors::{self, Cors};
use crate::http::rate_limit;
use crate::http::request::Incoming;
use crate::http::response::{self, set};
use crate::service::auth;
use crate::service::store::ShopRecord;

/// Every route, grouped by the credentials it takes.
enum Route {
    /// No credentials, any origin.
    Open(Open),
    /// A CORS preflight.
    Preflight,
    /// A publishable key; the shop's origins.
    Public(Public),
    /// A secret key; no browser.
    Private(Private),
    /// The admin token; no browser.
    Admin(Admin),
}

enum Open {
    Healthz,
    Document,
    Carriers,
}

enum Public {
    Detect,
    Track(String),
    GetOrder(String),
}

enum Private {
    PutOrder(String),
    PutShipment(String),
    PushEvents(String),
    ListShipments,
}

enum Admin {
    CreateShop,
    CreateKey(String),
    RevokeKey(String, String),
}

impl Route {
    fn parse(method: &Method, path: &[&str]) -> Result<Route> {
        use Method::{Delete, Get, Options, Post, Put};
        let owned = |s: &str| s.to_owned();
        let route = match (method, path) {
            (Get, ["healthz"]) => Route::Open(Open::Healthz),
            (Get, ["v1", "openapi.json"]) => Route::Open(Open::Document),
            (Get, ["v1", "carriers"]) => Route::Open(Open::Carriers),
            (Options, ["v1", ..]) => Route::Preflight,
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
            (Post, ["v1", "admin", "shops"]) => Route::Admin(Admin::CreateShop),
            (Post, ["v1", "admin", "shops", shop, "keys"]) => {
                Route::Admin(Admin::CreateKey(owned(shop)))
            }
            (Delete, ["v1", "admin", "shops", shop, "keys", key]) => {
                Route::Admin(Admin::RevokeKey(owned(shop), owned(key)))
            }
            (_, ["healthz"] | ["v1", "openapi.json" | "carriers" | "detect" | "shipments"])
            | (_, ["v1", "track" | "orders" | "shipments", _])
            | (_, ["v1", "shipments", _, "events"])
            | (_, ["v1", "admin", "shops", ..]) => return Err(EdgeError::MethodNotAllowed),
            _ => return Err(EdgeError::NoRoute(format!("/{}", path.join("/")))),
        };
        Ok(route)
    }
}

/// How an answer is to be dressed, whatever its outcome.
pub struct Dressing {
    /// Which origins may read it.
    pub cors: Cors,
    /// Whether the route is rate limited (and says so in `RateLimit-Policy`).
    pub rate_limited: bool,
}

impl Dressing {
    fn new(cors: Cors) -> Self {
        Dressing {
            cors,
            rate_limited: false,
        }
    }

    /// Adds the headers to an answer.
    pub fn apply(&self, response: &mut Response, origin: Option<&str>) -> Result<()> {
        if self.rate_limited {
            set(response, "RateLimit-Policy", rate_limit::POLICY)?;
        }
        self.cors.apply(response, origin)
    }
}

/// Finds and runs the handler for a request; how to dress the answer comes back with it.
pub async fn dispatch(app: &App<'_>, mut req: Incoming) -> (Dressing, Result<Response>) {
    let route = match Route::parse(&req.method, &req.path()) {
        Ok(route) => route,
        Err(error) => return (Dressing::new(Cors::Any), Err(error)),
    };
    match route {
        Route::Open(Open::Healthz) => (Dressing::new(Cors::Any), meta::healthz()),
        Route::Open(Open::Document) => (Dressing::new(Cors::Any), meta::openapi()),
        Route::Open(Open::Carriers) => (Dressing::new(Cors::Any), detect::carriers()),
        Route::Preflight => (Dressing::new(Cors::None), preflight(app, &req).await),
        Route::Public(route) => {
            let shop = match public_shop(app, &req).await {
                Ok(shop) => shop,
                Err(error) => {
                    return (
                        Dressing {
                            cors: Cors::Any,
                            rate_limited: true,
                        },
                        Err(error),
                    );
                }
            };
            let result = match route {
                Public::Detect => detect::detect(&mut req).await,
                Public::Track(number) => track::get(app, &shop, &req, &number).await,
                Public::GetOrder(order) => orders::get(app, &shop, &req, &order).await,
            };
            (
                Dressing {
                    cors: Cors::Shop(shop.allowed_origins),
                    rate_limited: true,
                },
                result,
            )
        }
        Route::Private(route) => (
            Dressing::new(Cors::None),
            private(app, &mut req, route).await,
        ),
        Route::Admin(route) => (Dressing::new(Cors::None), admin(app, &mut req, route).await),
    }
}

async fn private(app: &App<'_>, req: &mut Incoming, route: Private) -> Result<Response> {
    let shop = auth::secret_shop(&app.store, req.bearer().as_deref()).await?;
    match route {
        Private::PutOrder(order) => orders::put(app, &shop, req, &order).await,
        Private::PutShipment(number) => shipments::put(app, &shop, req, &number).await,
        Private::PushEvents(number) => shipments::push_events(app, &shop, req, &number).await,
        Private::ListShipments => shipments::list(app, &shop, req).await,
    }
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
    let shop = auth::publishable_shop(&app.store, key.as_deref()).await?;
    rate_limit::check(
        app.env,
        rate_limit::PER_KEY,
        key.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok(shop)
}

/// `OPTIONS /v1/...`: allowed when the `?key=` shop lists the `Origin`.
async fn preflight(app: &App<'_>, req: &Incoming) -> Result<Response> {
    let origin = req.origin().ok_or_else(|| {
        EdgeError::bad_request("not_a_preflight", "preflight requests carry an Origin")
    })?;
    let shop = auth::publishable_shop(&app.store, req.param("key")).await?;
    if !cors::allows(&shop.allowed_origins, &origin) {
        return Err(EdgeError::Forbidden(
            "this origin is not allowed for this shop",
        ));
    }
    let mut response = response::no_content()?;
    cors::preflight(&mut response, &origin)?;
    Ok(response)
}
