//! The fictional municipality of Voorbeeldstad: districts, streets, postcodes, creditors.

use std::fmt::Write;

use rand::Rng;

use super::draw::weighted;
use crate::domain::household::CreditorType;

/// Name of the synthetic municipality.
pub const MUNICIPALITY: &str = "Voorbeeldstad";

/// One district (wijk) and its team.
pub(super) struct District {
    pub name: &'static str,
    /// Relative share of the signalled households.
    pub weight: u32,
    /// Percent of households by migration background: Netherlands, Europe, outside Europe.
    pub migration: [u32; 3],
    /// Share (percent) of past signals where outreach reached the household and its outcome
    /// was recorded: the planted bias (see the module documentation of `demo`).
    pub reach_percent: u32,
    /// First postcode digits of the district; streets use this and the next four.
    pub postcode: u32,
    pub streets: &'static [&'static str],
    /// Housing corporations and landlords active in the district, with weights.
    pub landlords: &'static [(&'static str, u32)],
}

const PRIVATE_LANDLORD: &str = "Verhuurkantoor Kade & Zonen";

#[rustfmt::skip]
pub(super) const DISTRICT_DATA: [District; 5] = [
    District {
        name: "Noord",
        weight: 24,
        migration: [30, 10, 60],
        reach_percent: 90,
        postcode: 7521,
        streets: &[
            "Eikenlaan", "Berkenlaan", "Lindenlaan", "Beukenhof", "Essenstraat", "Wilgenring",
            "Populierenstraat", "Kastanjeplein", "Elzenhof", "Iepenweg", "Acaciastraat",
            "Platanenlaan",
        ],
        landlords: &[
            ("Woonstichting De Linde", 55),
            ("Het Anker Wonen", 35),
            (PRIVATE_LANDLORD, 10),
        ],
    },
    District {
        name: "Oost",
        weight: 20,
        migration: [62, 14, 24],
        reach_percent: 55,
        postcode: 7531,
        streets: &[
            "Rembrandtstraat", "Vermeerlaan", "Frans Halsstraat", "Jan Steenstraat",
            "Mondriaanplein", "Van Goghlaan", "Ruysdaelstraat", "Breitnerhof", "Israëlsstraat",
            "Mesdagstraat",
        ],
        landlords: &[
            ("Woonstichting De Linde", 45),
            ("Stadswonen Voorbeeldstad", 40),
            (PRIVATE_LANDLORD, 15),
        ],
    },
    District {
        name: "Zuid",
        weight: 20,
        migration: [80, 8, 12],
        reach_percent: 50,
        postcode: 7541,
        streets: &[
            "Tulpstraat", "Narcissenlaan", "Krokusweg", "Irisstraat", "Hyacinthof", "Lelieplein",
            "Rozenlaan", "Anjerstraat", "Seringenhof", "Dahliastraat",
        ],
        landlords: &[
            ("Woongroep Zuidrand", 60),
            ("Stadswonen Voorbeeldstad", 25),
            (PRIVATE_LANDLORD, 15),
        ],
    },
    District {
        name: "West",
        weight: 22,
        migration: [36, 14, 50],
        reach_percent: 90,
        postcode: 7551,
        streets: &[
            "Merelstraat", "Lijsterlaan", "Kievitweg", "Reigerhof", "Zwaluwstraat",
            "Spreeuwplein", "Vinkenlaan", "Meeuwenstraat", "Roodborststraat", "Koekoekstraat",
        ],
        landlords: &[
            ("Het Anker Wonen", 60),
            ("Stadswonen Voorbeeldstad", 30),
            (PRIVATE_LANDLORD, 10),
        ],
    },
    District {
        name: "Centrum",
        weight: 14,
        migration: [68, 20, 12],
        reach_percent: 55,
        postcode: 7511,
        streets: &[
            "Markt", "Kerkstraat", "Molenstraat", "Havenkade", "Lange Gracht", "Korte Gracht",
            "Vismarkt", "Brouwersteeg", "Nieuwstraat", "Hoogstraat", "Begijnhof",
        ],
        landlords: &[
            ("Stadswonen Voorbeeldstad", 50),
            ("Woongroep Zuidrand", 20),
            (PRIVATE_LANDLORD, 30),
        ],
    },
];

const ENERGY: &[(&str, u32)] = &[
    ("Polderstroom Energie", 30),
    ("Groene Dijk Energie", 25),
    ("Lichtpunt Energie B.V.", 20),
    ("Stroomhuis Nederland", 15),
    ("Windveld Energie", 10),
];

/// Drinking water is a regional monopoly: one company serves the whole municipality.
const WATER: &str = "Waterbedrijf Voorbeeldstad";

const HEALTH_INSURERS: &[(&str, u32)] = &[
    ("Zorgverzekeraar Samen", 30),
    ("Gezond Verzekerd", 25),
    ("De Brug Zorgverzekeringen", 20),
    ("Zorgkring Verzekeringen", 15),
    ("ZorgBasis", 10),
];

/// Postcode letters: `SA`, `SD` and `SS` are never issued, so `S` is not used first.
const FIRST_LETTERS: &[u8] = b"ABCEGHJKLMNPRTVWXZ";
const SECOND_LETTERS: &[u8] = b"ABCDEGHJKLMNPRSTVWXZ";

/// A street address in the district: street, house number (sometimes with an addition),
/// postcode (the same street and number block always get the same one) and the municipality.
pub(super) fn address(rng: &mut impl Rng, district: &District) -> String {
    let street_index = rng.gen_range(0..district.streets.len() as u32);
    let street = district.streets[street_index as usize];
    let number = rng.gen_range(1..=240u32);
    let addition = *weighted(
        rng,
        &[
            ("", 85),
            ("A", 5),
            ("B", 3),
            ("-1", 3),
            ("-2", 2),
            (" hs", 2),
        ],
    );
    let digits = district.postcode + street_index % 5;
    let first = FIRST_LETTERS[(street_index as usize * 7) % FIRST_LETTERS.len()] as char;
    let second = SECOND_LETTERS
        [((number / 12) as usize + street_index as usize) % SECOND_LETTERS.len()]
        as char;
    let mut text = String::with_capacity(street.len() + addition.len() + MUNICIPALITY.len() + 16);
    let _ = write!(
        text,
        "{street} {number}{addition}, {digits} {first}{second} {MUNICIPALITY}"
    );
    text
}

/// The name of a plausible creditor of the given kind for a household in the district.
pub(super) fn creditor(
    rng: &mut impl Rng,
    kind: CreditorType,
    district: &District,
) -> &'static str {
    let name: &'static &'static str = match kind {
        CreditorType::Rent => weighted(rng, district.landlords),
        CreditorType::Energy => weighted(rng, ENERGY),
        CreditorType::Water => &WATER,
        CreditorType::HealthInsurance => weighted(rng, HEALTH_INSURERS),
    };
    name
}

/// A district chosen by its share of households.
pub(super) fn district(rng: &mut impl Rng) -> &'static District {
    let weights: [(usize, u32); 5] = [
        (0, DISTRICT_DATA[0].weight),
        (1, DISTRICT_DATA[1].weight),
        (2, DISTRICT_DATA[2].weight),
        (3, DISTRICT_DATA[3].weight),
        (4, DISTRICT_DATA[4].weight),
    ];
    &DISTRICT_DATA[*weighted(rng, &weights)]
}
