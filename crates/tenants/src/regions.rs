//! The 14 regions (kraje) of Czechia with their NUTS3 and ISO 3166-2 codes.

/// A Czech region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// NUTS3 code, e.g. `CZ042`.
    pub nuts3: &'static str,
    /// ISO 3166-2 code, e.g. `CZ-42`.
    pub iso: &'static str,
    /// Czech name, e.g. `Ústecký kraj`.
    pub name: &'static str,
}

/// All regions, in NUTS3 order.
pub const REGIONS: [Region; 14] = [
    Region {
        nuts3: "CZ010",
        iso: "CZ-10",
        name: "Hlavní město Praha",
    },
    Region {
        nuts3: "CZ020",
        iso: "CZ-20",
        name: "Středočeský kraj",
    },
    Region {
        nuts3: "CZ031",
        iso: "CZ-31",
        name: "Jihočeský kraj",
    },
    Region {
        nuts3: "CZ032",
        iso: "CZ-32",
        name: "Plzeňský kraj",
    },
    Region {
        nuts3: "CZ041",
        iso: "CZ-41",
        name: "Karlovarský kraj",
    },
    Region {
        nuts3: "CZ042",
        iso: "CZ-42",
        name: "Ústecký kraj",
    },
    Region {
        nuts3: "CZ051",
        iso: "CZ-51",
        name: "Liberecký kraj",
    },
    Region {
        nuts3: "CZ052",
        iso: "CZ-52",
        name: "Královéhradecký kraj",
    },
    Region {
        nuts3: "CZ053",
        iso: "CZ-53",
        name: "Pardubický kraj",
    },
    Region {
        nuts3: "CZ063",
        iso: "CZ-63",
        name: "Kraj Vysočina",
    },
    Region {
        nuts3: "CZ064",
        iso: "CZ-64",
        name: "Jihomoravský kraj",
    },
    Region {
        nuts3: "CZ071",
        iso: "CZ-71",
        name: "Olomoucký kraj",
    },
    Region {
        nuts3: "CZ072",
        iso: "CZ-72",
        name: "Zlínský kraj",
    },
    Region {
        nuts3: "CZ080",
        iso: "CZ-80",
        name: "Moravskoslezský kraj",
    },
];

impl Region {
    /// Looks a region up by its NUTS3 code.
    pub fn by_nuts3(code: &str) -> Option<Region> {
        REGIONS.iter().copied().find(|r| r.nuts3 == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_agree() {
        for r in REGIONS {
            assert_eq!(&r.nuts3[3..], &r.iso[3..], "{}", r.name);
            assert_eq!(Region::by_nuts3(r.nuts3), Some(r));
        }
        assert_eq!(Region::by_nuts3("CZ999"), None);
    }
}
