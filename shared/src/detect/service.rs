//! Service names some tracking numbers encode (UPS, USPS, DPD, UPU S10). Carrier product names
//! are proper names and stay in English in every language.

/// UPS `1Z` numbers: the two characters after the shipper number.
fn ups(code: &[u8]) -> Option<&'static str> {
    Some(match code {
        b"01" => "Next Day Air",
        b"02" => "2nd Day Air",
        b"03" => "Ground",
        b"12" => "3 Day Select",
        b"13" => "Next Day Air Saver",
        b"15" => "Next Day Air Early",
        b"22" => "Ground, Returns Plus (three pickup attempts)",
        b"32" => "Next Day Air Early, COD",
        b"33" => "Next Day Air Early, Saturday, COD",
        b"41" => "Next Day Air Early, Saturday",
        b"42" => "Ground, signature required",
        b"44" => "Next Day Air, Saturday",
        b"66" => "Worldwide Express",
        b"72" => "Ground, COD",
        b"78" => "Ground, Returns Plus (one pickup attempt)",
        b"90" => "Ground, Returns",
        b"A0" => "Next Day Air Early, adult signature",
        b"A1" => "Next Day Air Early, Saturday, adult signature",
        b"A2" => "Next Day Air, adult signature",
        b"A8" => "Ground, adult signature",
        b"A9" => "Next Day Air Early, adult signature, COD",
        b"AA" => "Next Day Air Early, Saturday, adult signature, COD",
        b"YW" => "SurePost (delivered by USPS)",
        _ => return None,
    })
}

/// UPS waybills: the leading letter.
fn ups_waybill(code: &[u8]) -> Option<&'static str> {
    Some(match code {
        b"J" => "Next Day Express",
        b"K" => "Ground",
        b"V" => "Worldwide Express Saver",
        _ => return None,
    })
}

/// USPS 20- and 22-digit numbers: the two-digit service type code.
fn usps(code: &[u8]) -> Option<&'static str> {
    Some(match code {
        b"01" | b"02" | b"03" | b"04" | b"05" | b"06" | b"07" | b"08" | b"14" => {
            "Delivery Confirmation"
        }
        b"21" | b"22" | b"23" | b"24" | b"25" | b"26" | b"34" => "Signature Confirmation",
        b"73" => "Insured Mail",
        b"82" | b"83" | b"85" => "Merchandise Return",
        _ => return None,
    })
}

/// DPD 28-character numbers: the three-digit service code.
fn dpd(code: &[u8]) -> Option<&'static str> {
    Some(match code {
        b"101" | b"136" => "DPD Classic",
        b"102" => "DPD Classic, hazardous goods",
        b"105" => "DPD Classic, ex works",
        b"106" => "DPD Classic, ex works, hazardous goods",
        b"109" => "DPD Classic, cash on delivery",
        b"110" => "DPD Classic, cash on delivery, hazardous goods",
        b"113" => "DPD Classic, exchange",
        b"154" => "DPD Parcel Letter",
        b"155" => "DPD Guarantee",
        b"161" => "DPD Guarantee, cash on delivery",
        b"179" => "DPD 10:00",
        b"191" => "DPD 10:00, cash on delivery",
        b"225" => "DPD 12:00",
        b"237" => "DPD 12:00, cash on delivery",
        b"350" => "DPD 8:30",
        _ => return None,
    })
}

/// UPU S10 numbers: the two-letter service indicator.
fn s10(code: &[u8]) -> Option<&'static str> {
    Some(match code {
        [b'E', _] => "EMS (international express)",
        [b'C', _] => "Parcel post",
        [b'H', _] => "Parcel post (e-commerce)",
        [b'R', _] => "Registered letter post",
        [b'V', _] => "Insured letter post",
        [b'L', _] => "Express letter post",
        [b'M', _] => "Letter post M-bag",
        [b'U', _] => "Letter post",
        [b'Q', b'A'..=b'M'] => "International business reply",
        [b'B' | b'D' | b'N' | b'P' | b'Z', _] | [b'A', b'V'..=b'Z'] | [b'G', b'A' | b'D'] => {
            "Domestic or bilateral mail"
        }
        _ => return None,
    })
}

/// Which table names a format's service characters. Data rather than a function pointer, so a
/// program that only ranks formats (the widget's hint) carries none of these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Services {
    /// UPS `1Z` numbers.
    Ups,
    /// UPS waybills.
    UpsWaybill,
    /// USPS 20- and 22-digit numbers.
    Usps,
    /// DPD 28-character numbers.
    Dpd,
    /// UPU S10 numbers.
    S10,
}

impl Services {
    /// The service `code` names, when known.
    pub(crate) fn name(self, code: &[u8]) -> Option<&'static str> {
        match self {
            Services::Ups => ups(code),
            Services::UpsWaybill => ups_waybill(code),
            Services::Usps => usps(code),
            Services::Dpd => dpd(code),
            Services::S10 => s10(code),
        }
    }
}
