//! Name lists and distributions. Names are common ones of each country, in
//! the spellings met on Czech residence documents; the long tail comes from
//! [`crate::long_tail_surname`].

/// Nationalities with their weight (per mille) in the client population:
/// Ukraine by far the largest, then Vietnam, Russia, Slovakia (the largest
/// EU group), Mongolia, … (docs/domain.md).
pub const NATIONALITIES: [(&str, u32); 16] = [
    ("UA", 470),
    ("VN", 110),
    ("RU", 70),
    ("SK", 60),
    ("MN", 35),
    ("BY", 25),
    ("KZ", 25),
    ("MD", 25),
    ("UZ", 25),
    ("SY", 15),
    ("PH", 30),
    ("IN", 30),
    ("TR", 20),
    ("US", 15),
    ("GE", 20),
    ("AF", 25),
];

/// Share of each demo centre in the network's clients (per mille), by slug:
/// Praha far ahead, then Brno, Plzeň, Ústí, …
pub const CENTRE_WEIGHTS: [(&str, u32); 18] = [
    ("praha", 300),
    ("brno", 110),
    ("plzen", 70),
    ("usti", 65),
    ("ostrava", 60),
    ("hradec-kralove", 40),
    ("pardubice", 40),
    ("liberec", 35),
    ("ceske-budejovice", 35),
    ("olomouc", 35),
    ("zlin", 30),
    ("karlovy-vary", 30),
    ("jihlava", 25),
    ("kladno", 30),
    ("mlada-boleslav", 30),
    ("benesov", 20),
    ("kutna-hora", 20),
    ("pribram", 25),
];

/// Given names (female, male) and family names (with the feminine form where
/// the language has one) per nationality group.
pub struct NameSet {
    /// Female given names.
    pub female: &'static [&'static str],
    /// Male given names.
    pub male: &'static [&'static str],
    /// Family names (male form).
    pub family: &'static [&'static str],
    /// How a woman's family name is formed from the male form.
    pub feminine: fn(&str) -> String,
}

fn same(s: &str) -> String {
    s.to_owned()
}

fn slavic(s: &str) -> String {
    if let Some(stem) = s.strip_suffix("ov") {
        format!("{stem}ova")
    } else if let Some(stem) = s.strip_suffix("ev") {
        format!("{stem}eva")
    } else if let Some(stem) = s.strip_suffix("in") {
        format!("{stem}ina")
    } else if let Some(stem) = s.strip_suffix("skyi") {
        format!("{stem}ska")
    } else {
        s.to_owned()
    }
}

fn slovak(s: &str) -> String {
    match s.chars().last() {
        Some('ý') => format!("{}á", s.trim_end_matches('ý')),
        Some('a') => format!("{}ová", s.trim_end_matches('a')),
        _ => format!("{s}ová"),
    }
}

/// Ukrainian names, transliterated as on documents (several systems exist).
pub const UKRAINIAN: NameSet = NameSet {
    female: &[
        "Olena",
        "Oksana",
        "Iryna",
        "Natalia",
        "Nataliia",
        "Tetiana",
        "Yuliia",
        "Yulia",
        "Kateryna",
        "Olha",
        "Svitlana",
        "Anastasiia",
        "Mariia",
        "Viktoriia",
        "Halyna",
        "Liudmyla",
        "Khrystyna",
        "Daryna",
        "Sofiia",
        "Alina",
    ],
    male: &[
        "Oleksandr",
        "Olexandr",
        "Andrii",
        "Serhii",
        "Volodymyr",
        "Dmytro",
        "Mykola",
        "Vasyl",
        "Ivan",
        "Yurii",
        "Oleh",
        "Bohdan",
        "Taras",
        "Mykhailo",
        "Viktor",
        "Roman",
        "Petro",
        "Maksym",
        "Denys",
        "Artem",
    ],
    family: &[
        "Kovalenko",
        "Shevchenko",
        "Bondarenko",
        "Tkachenko",
        "Kravchenko",
        "Melnyk",
        "Boiko",
        "Kovalchuk",
        "Oliinyk",
        "Shevchuk",
        "Polishchuk",
        "Lysenko",
        "Moroz",
        "Marchenko",
        "Rudenko",
        "Savchenko",
        "Petrenko",
        "Pavlenko",
        "Kuzmenko",
        "Ivanov",
        "Tkachuk",
        "Kravets",
        "Koval",
        "Levchenko",
        "Honcharenko",
        "Romanenko",
        "Hrytsenko",
        "Babych",
        "Kolesnyk",
        "Karpenko",
    ],
    feminine: same,
};

/// Vietnamese names with their diacritics.
pub const VIETNAMESE: NameSet = NameSet {
    female: &[
        "Thị Lan",
        "Thị Hương",
        "Thị Mai",
        "Thị Hoa",
        "Thị Thu",
        "Thị Hằng",
        "Ngọc Anh",
        "Thị Hạnh",
        "Thu Trang",
        "Thị Nga",
    ],
    male: &[
        "Văn Hùng",
        "Văn Nam",
        "Minh Tuấn",
        "Đức Anh",
        "Văn Long",
        "Quang Huy",
        "Văn Thành",
        "Hoàng Nam",
        "Văn Dũng",
        "Tiến Dũng",
    ],
    family: &[
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
        "Hồ", "Ngô", "Dương",
    ],
    feminine: same,
};

/// Russian, Belarusian, Kazakh, Moldovan and Uzbek names as transliterated.
pub const RUSSIAN: NameSet = NameSet {
    female: &[
        "Elena",
        "Olga",
        "Tatiana",
        "Natalia",
        "Irina",
        "Svetlana",
        "Anna",
        "Ekaterina",
        "Yulia",
        "Maria",
        "Anastasia",
        "Aigerim",
        "Dilnoza",
        "Gulnara",
    ],
    male: &[
        "Aleksandr",
        "Alexandr",
        "Sergei",
        "Sergey",
        "Dmitrii",
        "Dmitry",
        "Andrei",
        "Alexey",
        "Ivan",
        "Mikhail",
        "Nikolai",
        "Vladimir",
        "Nurlan",
        "Rustam",
        "Timur",
        "Ion",
    ],
    family: &[
        "Ivanov",
        "Smirnov",
        "Kuznetsov",
        "Popov",
        "Vasiliev",
        "Petrov",
        "Sokolov",
        "Mikhailov",
        "Novikov",
        "Fedorov",
        "Morozov",
        "Volkov",
        "Alekseev",
        "Lebedev",
        "Semenov",
        "Egorov",
        "Pavlov",
        "Kozlov",
        "Nurlanov",
        "Abdullaev",
        "Karimov",
        "Rusu",
        "Ceban",
        "Lukashevich",
    ],
    feminine: slavic,
};

/// Slovak names.
pub const SLOVAK: NameSet = NameSet {
    female: &[
        "Jana",
        "Mária",
        "Eva",
        "Anna",
        "Zuzana",
        "Katarína",
        "Lucia",
        "Martina",
    ],
    male: &[
        "Ján", "Peter", "Jozef", "Michal", "Martin", "Tomáš", "Marek", "Lukáš",
    ],
    family: &[
        "Horváth", "Kováč", "Varga", "Tóth", "Nagy", "Baláž", "Szabó", "Molnár", "Novák", "Lukáč",
        "Kollár", "Dvořák", "Šimko",
    ],
    feminine: slovak,
};

/// Mongolian names.
pub const MONGOLIAN: NameSet = NameSet {
    female: &[
        "Oyunchimeg",
        "Sarangerel",
        "Enkhjargal",
        "Bolormaa",
        "Altantsetseg",
    ],
    male: &[
        "Batbayar",
        "Ganbaatar",
        "Bat-Erdene",
        "Enkhbold",
        "Tömörbaatar",
    ],
    family: &[
        "Batbold",
        "Dorj",
        "Gantulga",
        "Erdenebat",
        "Tsogt",
        "Bayar",
        "Sükhbaatar",
    ],
    feminine: same,
};

/// Names of other countries (Syria, Afghanistan, the Philippines, India,
/// Turkey, the United States, Georgia).
pub const OTHER: NameSet = NameSet {
    female: &[
        "Fatima", "Aisha", "Maria", "Priya", "Ayşe", "Jennifer", "Nino", "Zainab", "Grace",
        "Anjali",
    ],
    male: &[
        "Mohammad", "Ahmad", "Ali", "Jose", "Rahul", "Mehmet", "John", "Giorgi", "Omar", "Juan",
    ],
    family: &[
        "Al-Hassan",
        "Haddad",
        "Rahimi",
        "Santos",
        "Reyes",
        "Sharma",
        "Patel",
        "Yılmaz",
        "Kaya",
        "Smith",
        "Johnson",
        "Beridze",
        "Kapanadze",
        "Ahmadi",
        "Dela Cruz",
        "Singh",
    ],
    feminine: same,
};

/// The name set for a nationality.
pub fn names_for(nationality: &str) -> &'static NameSet {
    match nationality {
        "UA" => &UKRAINIAN,
        "VN" => &VIETNAMESE,
        "RU" | "BY" | "KZ" | "MD" | "UZ" => &RUSSIAN,
        "SK" => &SLOVAK,
        "MN" => &MONGOLIAN,
        _ => &OTHER,
    }
}

/// Syllables for the long tail of rarer surnames.
pub const SYLLABLES: [&str; 24] = [
    "ko", "va", "len", "shev", "chen", "bon", "dar", "tka", "mel", "ny", "boi", "lys", "ro", "man",
    "pe", "tr", "hry", "ts", "kar", "pen", "mar", "chuk", "nko", "yuk",
];
