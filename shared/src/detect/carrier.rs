//! The carriers detection knows, by the codes of the public tracking-number vectors where they
//! have one.

use crate::health::{Route, Scope, ServiceLevel};

crate::wire_enum! {
    /// A carrier. Serialized as its code (`ups`, `canada_post`, ...). Declared from most to least
    /// commonly seen by online shops, which breaks ranking ties between equally specific formats.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Carrier {
        /// United Parcel Service.
        Ups = "ups",
        /// United States Postal Service.
        Usps = "usps",
        /// FedEx.
        Fedex = "fedex",
        /// DHL (Express, eCommerce).
        Dhl = "dhl",
        /// A national post, by a UPU S10 number (`RR123456785CN`).
        S10 = "s10",
        /// Amazon Logistics.
        Amazon = "amazon",
        /// DPD.
        Dpd = "dpd",
        /// Canada Post.
        CanadaPost = "canada_post",
        /// Purolator.
        Purolator = "purolator",
        /// YunExpress.
        Yunexpress = "yunexpress",
        /// Cainiao, Alibaba's logistics arm (AliExpress Standard Shipping).
        Cainiao = "cainiao",
        /// 4PX Express.
        FourPx = "four_px",
        /// Yanwen Logistics.
        Yanwen = "yanwen",
        /// SF Express (SF International).
        SfExpress = "sf_express",
        /// J&T Express.
        JtExpress = "jt_express",
        /// OnTrac.
        Ontrac = "ontrac",
        /// LaserShip.
        Lasership = "lasership",
        /// Yodel.
        Yodel = "yodel",
        /// Canpar.
        Canpar = "canpar",
        /// Old Dominion Freight Line.
        OldDominion = "old_dominion",
        /// Spee-Dee Delivery.
        Speedee = "speedee",
        /// GOFO Express.
        Gofo = "gofo",
        /// Landmark Global.
        Landmark = "landmark",
    }
}

impl Carrier {
    /// The wire code, e.g. `"canada_post"` (its wire name).
    pub const fn code(self) -> &'static str {
        self.as_str()
    }

    /// The name people know the carrier by.
    pub const fn name(self) -> &'static str {
        match self {
            Carrier::Ups => "UPS",
            Carrier::Usps => "USPS",
            Carrier::Fedex => "FedEx",
            Carrier::Dhl => "DHL",
            Carrier::S10 => "International post",
            Carrier::Amazon => "Amazon Logistics",
            Carrier::Dpd => "DPD",
            Carrier::CanadaPost => "Canada Post",
            Carrier::Purolator => "Purolator",
            Carrier::Yunexpress => "YunExpress",
            Carrier::Cainiao => "Cainiao",
            Carrier::FourPx => "4PX",
            Carrier::Yanwen => "Yanwen",
            Carrier::SfExpress => "SF Express",
            Carrier::JtExpress => "J&T Express",
            Carrier::Ontrac => "OnTrac",
            Carrier::Lasership => "LaserShip",
            Carrier::Yodel => "Yodel",
            Carrier::Canpar => "Canpar",
            Carrier::OldDominion => "Old Dominion",
            Carrier::Speedee => "Spee-Dee Delivery",
            Carrier::Gofo => "GOFO Express",
            Carrier::Landmark => "Landmark Global",
        }
    }

    /// The route its parcels take when nothing else is said: the national posts' S10 items and the
    /// cross-border carriers of Chinese e-commerce (Cainiao, YunExpress, 4PX, Yanwen) travel
    /// internationally, as slowly and quietly as the posts, so their health waits as long as a
    /// postal international route's; every other carrier, the defaults.
    pub fn usual_route(self) -> Route {
        match self {
            Carrier::S10
            | Carrier::Cainiao
            | Carrier::Yunexpress
            | Carrier::FourPx
            | Carrier::Yanwen => Route {
                scope: Scope::International,
                service: ServiceLevel::Postal,
            },
            _ => Route::default(),
        }
    }

    /// Looks a carrier up by its wire code.
    pub fn from_code(code: &str) -> Option<Carrier> {
        Carrier::from_wire(code)
    }

    /// Looks a carrier up by the name a shop platform, plugin or export gives it: its wire code,
    /// the name people know it by, or a service name that platforms list separately (Shopify's
    /// "DHL Express", WooCommerce Shipment Tracking's "fedex-ground", a CSV's "Amazon Logistics
    /// US"), compared without case, spaces or punctuation. `None` for a name it does not know
    /// (national posts among them: their numbers say more than their names), and callers fall back
    /// to detection.
    pub fn from_name(name: &str) -> Option<Carrier> {
        let plain = |text: &str| {
            text.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect::<String>()
        };
        let key = plain(name);
        if key.is_empty() {
            return None;
        }
        if let Some(carrier) = Carrier::ALL
            .iter()
            .find(|carrier| plain(carrier.code()) == key || plain(carrier.name()) == key)
        {
            return Some(*carrier);
        }
        SERVICE_NAMES
            .iter()
            .find(|(service, _)| *service == key)
            .map(|(_, carrier)| *carrier)
    }
}

/// Service and brand names platforms list apart from the carrier's own name, as [`Carrier::from_name`]
/// compares them (lower case, letters and digits only).
const SERVICE_NAMES: &[(&str, Carrier)] = &[
    ("unitedparcelservice", Carrier::Ups),
    ("upsmailinnovations", Carrier::Ups),
    ("unitedstatespostalservice", Carrier::Usps),
    ("fedexground", Carrier::Fedex),
    ("fedexexpress", Carrier::Fedex),
    ("fedexsmartpost", Carrier::Fedex),
    ("dhlexpress", Carrier::Dhl),
    ("dhlecommerce", Carrier::Dhl),
    ("dhlecommerceasia", Carrier::Dhl),
    ("dhlparcel", Carrier::Dhl),
    ("amazonlogisticsus", Carrier::Amazon),
    ("amazonlogisticsuk", Carrier::Amazon),
    ("amazonshipping", Carrier::Amazon),
    ("amazon", Carrier::Amazon),
    ("dpduk", Carrier::Dpd),
    ("dpdlocal", Carrier::Dpd),
    ("yunexpressusa", Carrier::Yunexpress),
    ("yuntrack", Carrier::Yunexpress),
    ("aliexpressstandardshipping", Carrier::Cainiao),
    ("aliexpresssavershipping", Carrier::Cainiao),
    ("cainiaosupereconomy", Carrier::Cainiao),
    ("cainiaosupereconomyglobal", Carrier::Cainiao),
    ("cainiaoglobal", Carrier::Cainiao),
    ("4pxexpress", Carrier::FourPx),
    ("yanwenexpress", Carrier::Yanwen),
    ("yanwenlogistics", Carrier::Yanwen),
    ("sf", Carrier::SfExpress),
    ("sfinternational", Carrier::SfExpress),
    ("jt", Carrier::JtExpress),
    ("jtexpressinternational", Carrier::JtExpress),
    ("lasershipontrac", Carrier::Ontrac),
    ("gofo", Carrier::Gofo),
    ("landmarkglobal", Carrier::Landmark),
];

#[cfg(test)]
mod tests {
    use super::Carrier;

    #[test]
    fn cross_border_carriers_travel_as_postal_international_routes() {
        use crate::health::{Scope, ServiceLevel};
        for carrier in [Carrier::Yunexpress, Carrier::Cainiao, Carrier::S10] {
            let route = carrier.usual_route();
            assert_eq!(route.scope, Scope::International, "{carrier:?}");
            assert_eq!(route.service, ServiceLevel::Postal, "{carrier:?}");
        }
        assert_eq!(Carrier::Ups.usual_route(), crate::health::Route::default());
    }

    #[test]
    fn platform_names_read_as_carriers() {
        let cases = [
            ("UPS", Some(Carrier::Ups)),
            ("ups", Some(Carrier::Ups)),
            ("DHL Express", Some(Carrier::Dhl)),
            ("fedex-ground", Some(Carrier::Fedex)),
            ("Canada Post", Some(Carrier::CanadaPost)),
            ("canada_post", Some(Carrier::CanadaPost)),
            ("Amazon Logistics US", Some(Carrier::Amazon)),
            ("YunExpress", Some(Carrier::Yunexpress)),
            ("AliExpress Standard Shipping", Some(Carrier::Cainiao)),
            ("Cainiao Super Economy", Some(Carrier::Cainiao)),
            ("Cainiao Global", Some(Carrier::Cainiao)),
            ("cainiao", Some(Carrier::Cainiao)),
            ("4PX", Some(Carrier::FourPx)),
            ("4PX Express", Some(Carrier::FourPx)),
            ("Yanwen", Some(Carrier::Yanwen)),
            ("Yanwen Express", Some(Carrier::Yanwen)),
            ("SF Express", Some(Carrier::SfExpress)),
            ("sf_express", Some(Carrier::SfExpress)),
            ("SF International", Some(Carrier::SfExpress)),
            ("SF", Some(Carrier::SfExpress)),
            ("J&T", Some(Carrier::JtExpress)),
            ("J&T Express", Some(Carrier::JtExpress)),
            ("jt_express", Some(Carrier::JtExpress)),
            ("J&T Express International", Some(Carrier::JtExpress)),
            ("China Post", None),
            ("Royal Mail", None),
            ("Other", None),
            ("", None),
        ];
        for (name, carrier) in cases {
            assert_eq!(Carrier::from_name(name), carrier, "{name:?}");
        }
    }
}
