//! The carriers detection knows, by the codes of the public tracking-number vectors.

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
        Carrier::from_wire(code)
    }
}
