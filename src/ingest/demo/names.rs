//! Synthetic names for the demo municipality, grouped by origin.
//!
//! Common given names and surnames are combined at random, so a full name belongs to nobody
//! in particular. Names include non-ASCII letters (ş, ł, í, ë) and particles (`van der`,
//! `El`), as real registers do, which also exercises the console's text handling.

use rand::Rng;

use super::draw::{pick, weighted};

/// Given names and surnames of one origin group.
pub(super) struct Origin {
    pub male: &'static [&'static str],
    pub female: &'static [&'static str],
    pub surnames: &'static [&'static str],
    /// Surnames take a feminine form for women (`-ski` → `-ska`, `-ov` → `-ova`).
    pub gendered_surnames: bool,
}

#[rustfmt::skip]
const DUTCH: Origin = Origin {
    male: &[
        "Daan", "Sem", "Lucas", "Jan", "Pieter", "Kees", "Henk", "Gerrit", "Thijs", "Bram", "Ruud",
        "Marco", "Jeroen", "Sander", "Wim", "Niels", "Bas", "Erik",
    ],
    female: &[
        "Sanne", "Emma", "Anouk", "Lotte", "Marieke", "Ingrid", "Petra", "Annemarie", "Fleur",
        "Iris", "Wilma", "Joke", "Esther", "Linda", "Mirjam", "Noor", "Femke", "Tineke",
    ],
    surnames: &[
        "de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
        "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
        "Brouwer", "de Wit", "Dijkstra", "van der Meer", "Kok", "Jacobs", "van den Berg",
        "Koster", "Prins", "Huisman", "Post", "Kuipers",
    ],
    gendered_surnames: false,
};

#[rustfmt::skip]
const POLISH: Origin = Origin {
    male: &[
        "Piotr", "Tomasz", "Krzysztof", "Paweł", "Marek", "Michał", "Łukasz", "Grzegorz",
    ],
    female: &[
        "Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Małgorzata", "Ewa",
    ],
    surnames: &[
        "Nowak", "Kowalczyk", "Wójcik", "Mazur", "Krawczyk", "Zając", "Król", "Wieczorek",
        "Jabłoński", "Kamiński", "Lewandowski", "Zieliński",
    ],
    gendered_surnames: true,
};

#[rustfmt::skip]
const GERMAN_BELGIAN: Origin = Origin {
    male: &[
        "Jürgen", "Stefan", "Matthias", "Thomas", "Wouter", "Koen", "Dirk", "Jens",
    ],
    female: &[
        "Sabine", "Katrin", "Anja", "Julia", "Lien", "Griet", "Els", "Heike",
    ],
    surnames: &[
        "Müller", "Schmidt", "Becker", "Hoffmann", "Peeters", "Janssens", "Maes", "Claes",
        "Wagner", "Vermeulen", "Wouters", "Schulz",
    ],
    gendered_surnames: false,
};

#[rustfmt::skip]
const ROMANIAN_BULGARIAN: Origin = Origin {
    male: &[
        "Ion", "Andrei", "Mihai", "Gheorghe", "Ivan", "Georgi", "Dimitar", "Florin",
    ],
    female: &[
        "Maria", "Elena", "Ioana", "Andreea", "Desislava", "Galina", "Mariana", "Raluca",
    ],
    surnames: &[
        "Popescu", "Ionescu", "Dumitru", "Stan", "Constantin", "Marin", "Georgiev", "Ivanov",
        "Petrov", "Nikolov", "Todorov", "Stoica",
    ],
    gendered_surnames: true,
};

#[rustfmt::skip]
const SOUTHERN_EUROPEAN: Origin = Origin {
    male: &[
        "Giuseppe", "Luca", "Antonio", "José", "João", "Pedro", "Carlos", "Francesco",
    ],
    female: &[
        "Giulia", "Francesca", "Ana", "Sofia", "Carmen", "Lucía", "Inês", "Chiara",
    ],
    surnames: &[
        "Rossi", "Russo", "Esposito", "Bianchi", "García", "Fernández", "López", "Martínez",
        "Silva", "Santos", "Pereira", "Ferreira",
    ],
    gendered_surnames: false,
};

#[rustfmt::skip]
const UKRAINIAN: Origin = Origin {
    male: &[
        "Oleksandr", "Dmytro", "Andriy", "Serhiy", "Volodymyr", "Taras",
    ],
    female: &["Olena", "Oksana", "Iryna", "Nataliya", "Yuliya", "Kateryna"],
    surnames: &[
        "Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boyko",
        "Lysenko",
    ],
    gendered_surnames: false,
};

#[rustfmt::skip]
const MOROCCAN: Origin = Origin {
    male: &[
        "Mohamed", "Mustafa", "Youssef", "Ahmed", "Abdelkader", "Hamid", "Rachid", "Said",
        "Karim", "Bilal",
    ],
    female: &[
        "Fatima", "Khadija", "Naima", "Samira", "Malika", "Nadia", "Soumaya", "Latifa", "Hafsa",
        "Loubna",
    ],
    surnames: &[
        "El Amrani", "Bouzid", "El Idrissi", "Benali", "Azzouzi", "El Khattabi", "Bakkali",
        "Ouali", "Zaoui", "Haddou", "El Ouazzani", "Boukhari",
    ],
    gendered_surnames: false,
};

#[rustfmt::skip]
const TURKISH: Origin = Origin {
    male: &[
        "Mehmet", "Ahmet", "Hüseyin", "Ali", "İbrahim", "Murat", "Emre", "Kemal", "Hasan",
        "Mustafa",
    ],
    female: &[
        "Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Sevgi", "Özlem", "Hülya",
    ],
    surnames: &[
        "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan",
        "Doğan", "Kılıç", "Aslan",
    ],
    gendered_surnames: false,
};

#[rustfmt::skip]
const SURINAMESE: Origin = Origin {
    male: &[
        "Ricardo", "Rajesh", "Ramon", "Clyde", "Sunil", "Errol", "Ravi", "Marlon", "Anand", "Glenn",
    ],
    female: &[
        "Sharon", "Sunita", "Priya", "Jennifer", "Chandra", "Sandra", "Anjali", "Denise", "Shanti",
        "Melissa",
    ],
    surnames: &[
        "Ramdin", "Sewnarain", "Pinas", "Ramlal", "Biharie", "Doelwijt", "Mangal", "Lachman",
        "Sitaldin", "Wijngaarde", "Sedney", "Kanhai",
    ],
    gendered_surnames: false,
};

#[rustfmt::skip]
const CARIBBEAN_DUTCH: Origin = Origin {
    male: &[
        "Giovanni", "Edsel", "Rignald", "Shurendy", "Jurich", "Orlando",
    ],
    female: &[
        "Sharina", "Giselle", "Maritza", "Yvonne", "Jenny", "Ruthline",
    ],
    surnames: &[
        "Martina", "Isenia", "Rosaria", "Cijntje", "Statie", "Wawoe", "Winklaar", "Leito",
        "Doran", "Girigorie", "Koeiman",
    ],
    gendered_surnames: false,
};

#[rustfmt::skip]
const SYRIAN: Origin = Origin {
    male: &[
        "Ahmad", "Omar", "Khaled", "Mahmoud", "Yasin", "Ammar", "Hassan", "Samer",
    ],
    female: &[
        "Rania", "Hiba", "Lina", "Noor", "Amal", "Reem", "Dima", "Sara",
    ],
    surnames: &[
        "Al-Hassan", "Haddad", "Khalil", "Darwish", "Al-Ahmad", "Ibrahim", "Mansour", "Hamdan",
        "Sabbagh", "Kassab", "Najjar", "Hamwi",
    ],
    gendered_surnames: false,
};

#[rustfmt::skip]
const HORN_OF_AFRICA: Origin = Origin {
    male: &["Tesfay", "Yonas", "Filmon", "Mehari", "Dawit", "Semere"],
    female: &["Helen", "Senait", "Lidia", "Selam", "Mebrat", "Tsega"],
    surnames: &[
        "Tesfamariam", "Gebremedhin", "Haile", "Tekle", "Kidane", "Berhane", "Weldemariam",
        "Asmelash", "Habte",
    ],
    gendered_surnames: false,
};

#[rustfmt::skip]
const INDONESIAN_MOLUCCAN: Origin = Origin {
    male: &["Johan", "Budi", "Agus", "Eddy", "Ronny", "Hendrik"],
    female: &["Dewi", "Sri", "Ina", "Yolanda", "Wati", "Astrid"],
    surnames: &[
        "Latumahina", "Pattiasina", "Sahetapy", "Tahapary", "Wattimena", "Lawalata", "Hukom",
        "Nanlohy", "Soeparman", "Wirjosentono",
    ],
    gendered_surnames: false,
};

/// Origin groups of names per migration background (CBS grouping), with weights.
///
/// A Dutch background (both parents born in the Netherlands) still includes third-generation
/// families with Moluccan or Surinamese names; Turkey is counted outside Europe here, as in
/// CBS's former western/non-western grouping (check current CBS tables if that matters).
fn origins(migration_background: &str) -> &'static [(&'static Origin, u32)] {
    match migration_background {
        "netherlands" => &[(&DUTCH, 95), (&INDONESIAN_MOLUCCAN, 3), (&SURINAMESE, 2)],
        "europe" => &[
            (&POLISH, 32),
            (&GERMAN_BELGIAN, 18),
            (&ROMANIAN_BULGARIAN, 20),
            (&SOUTHERN_EUROPEAN, 15),
            (&UKRAINIAN, 10),
            (&DUTCH, 5),
        ],
        _ => &[
            (&MOROCCAN, 26),
            (&TURKISH, 24),
            (&SURINAMESE, 22),
            (&CARIBBEAN_DUTCH, 8),
            (&SYRIAN, 9),
            (&HORN_OF_AFRICA, 5),
            (&INDONESIAN_MOLUCCAN, 6),
        ],
    }
}

/// A full name (given name and surname) for a head of household.
pub(super) fn full_name(rng: &mut impl Rng, migration_background: &str, gender: &str) -> String {
    let origin = *weighted(rng, origins(migration_background));
    let female = match gender {
        "female" => true,
        "male" => false,
        _ => rng.gen_range(0..2u32) == 0,
    };
    let given = if female {
        pick(rng, origin.female)
    } else {
        pick(rng, origin.male)
    };
    let surname = pick(rng, origin.surnames);
    let mut name = String::with_capacity(given.len() + surname.len() + 2);
    name.push_str(given);
    name.push(' ');
    if female && origin.gendered_surnames {
        name.push_str(&feminine(surname));
    } else {
        name.push_str(surname);
    }
    name
}

/// The feminine form of a Polish or Bulgarian surname; other surnames are unchanged.
fn feminine(surname: &str) -> String {
    if let Some(stem) = surname.strip_suffix("ski") {
        format!("{stem}ska")
    } else if surname.ends_with("ov") || surname.ends_with("ev") {
        format!("{surname}a")
    } else {
        surname.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feminine_forms() {
        assert_eq!(feminine("Jabłoński"), "Jabłońska");
        assert_eq!(feminine("Ivanov"), "Ivanova");
        assert_eq!(feminine("Georgiev"), "Georgieva");
        assert_eq!(feminine("Nowak"), "Nowak");
    }

    #[test]
    fn every_origin_has_names() {
        for background in ["netherlands", "europe", "outside_europe"] {
            for (origin, weight) in origins(background) {
                assert!(*weight > 0);
                assert!(!origin.male.is_empty() && !origin.female.is_empty());
                assert!(!origin.surnames.is_empty());
            }
        }
    }
}
