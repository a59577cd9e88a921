//! The carriers detection knows, by the codes of the public tracking-number vectors.

use serde::{Deserialize, Serialize};

/// A carrier. Serialized as its code (`ups`, `canada_post`, ...). Declared from most to least
/// commonly seen by online shops, which breaks ranking ties between equally specific formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// United Parcel Service.
    Ups,
    /// United States Postal Service.
    Usps,
    /// FedEx.
    Fedex,
    /// DHL (Express, eCommerce).
    Dhl,
    /// A national post, by a UPU S10 number (`RR123456785CN`).
    S10,
    /// Amazon Logistics.
    Amazon,
    /// DPD.
    Dpd,
    /// Canada Post.
    CanadaPost,
    /// Purolator.
    Purolator,
    /// YunExpress.
    Yunexpress,
    /// OnTrac.
    Ontrac,
    /// LaserShip.
    Lasership,
    /// Yodel.
    Yodel,
    /// Canpar.
    Canpar,
    /// Old Dominion Freight Line.
    OldDominion,
    /// Spee-Dee Delivery.
    Speedee,
    /// GOFO Express.
    Gofo,
    /// Landmark Global.
    Landmark,
}

impl Carrier {
    /// Every carrier, most common first.
    pub const ALL: [Carrier; 18] = [
        Carrier::Ups,
        Carrier::Usps,
        Carrier::Fedex,
        Carrier::Dhl,
        Carrier::S10,
        Carrier::Amazon,
        Carrier::Dpd,
        Carrier::CanadaPost,
        Carrier::Purolator,
        Carrier::Yunexpress,
        Carrier::Ontrac,
        Carrier::Lasership,
        Carrier::Yodel,
        Carrier::Canpar,
        Carrier::OldDominion,
        Carrier::Speedee,
        Carrier::Gofo,
        Carrier::Landmark,
    ];

    /// The wire code, e.g. `"canada_post"`.
    pub const fn code(self) -> &'static str {
        match self {
            Carrier::Ups => "ups",
            Carrier::Usps => "usps",
            Carrier::Fedex => "fedex",
            Carrier::Dhl => "dhl",
            Carrier::S10 => "s10",
            Carrier::Amazon => "amazon",
            Carrier::Dpd => "dpd",
            Carrier::CanadaPost => "canada_post",
            Carrier::Purolator => "purolator",
            Carrier::Yunexpress => "yunexpress",
            Carrier::Ontrac => "ontrac",
            Carrier::Lasership => "lasership",
            Carrier::Yodel => "yodel",
            Carrier::Canpar => "canpar",
            Carrier::OldDominion => "old_dominion",
            Carrier::Speedee => "speedee",
            Carrier::Gofo => "gofo",
            Carrier::Landmark => "landmark",
        }
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

    /// Looks a carrier up by its wire code.
    pub fn from_code(code: &str) -> Option<Carrier> {
        Carrier::ALL
            .into_iter()
            .find(|carrier| carrier.code() == code)
    }
}
