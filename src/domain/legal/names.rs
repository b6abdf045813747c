//! Comparing and writing French place names and legal forms: the keys used
//! to compare them (no case, no accents, no punctuation) and the forms used
//! in a court's name (« de Lyon », « d'Avignon », « du Havre »).

/// Lower-case ASCII letters and digits of `s`, accents removed (French
/// letters), everything else turned into a space.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => out.push('a'),
            'ç' => out.push('c'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' => out.push('i'),
            'ô' | 'ö' | 'ó' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ÿ' => out.push('y'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// A legal form reduced to its letters and digits, upper-case, so that
/// `"S.A.R.L."`, `"sarl"` and `"SARL"` compare equal.
pub fn form_key(form: &str) -> String {
    fold(form)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

/// Whether a folded token of a city is a postal addition to drop: CEDEX, a
/// number, an arrondissement ("15e", "1er", "8eme", "arrondissement").
fn is_postal_suffix(token: &str) -> bool {
    let t = fold(token);
    let t = t.trim();
    if t == "cedex" || t == "arrondissement" || t == "arr" {
        return true;
    }
    let digits = t.trim_start_matches(|c: char| c.is_ascii_digit());
    digits.len() < t.len() && matches!(digits, "" | "e" | "er" | "eme" | "ieme" | "me")
}

/// The city's words without the trailing CEDEX mention or arrondissement.
fn city_words(city: &str) -> Vec<&str> {
    let mut words: Vec<&str> = city.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| is_postal_suffix(w)) {
        words.pop();
    }
    words
}

/// Comparison key of a city: folded, "st"/"ste" spelled out, without CEDEX
/// or arrondissement (`"PARIS CEDEX 08"`, `"Paris 15e"` → `"paris"`;
/// `"St-Brieuc"` → `"saint brieuc"`).
pub fn city_key(city: &str) -> String {
    let folded = fold(&city_words(city).join(" "));
    folded
        .split_whitespace()
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words kept in lower case inside a compound city name (Boulogne-sur-Mer).
const PARTICLES: [&str; 12] = [
    "de", "du", "des", "la", "le", "les", "sur", "sous", "en", "et", "aux", "lès",
];

/// Upper-cases the first letter of `w`.
fn capitalise(w: &str) -> String {
    let mut chars = w.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The city as it is written in a court's name: trimmed, without CEDEX or
/// arrondissement, and, when it was typed all in capitals (as on La Poste
/// addresses), in title case (`"BOULOGNE-SUR-MER CEDEX"` → `"Boulogne-sur-Mer"`).
pub fn city_display(city: &str) -> String {
    let words = city_words(city).join(" ");
    if words.chars().any(char::is_lowercase) {
        return words;
    }
    let lower = words.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for (i, part) in lower.split_inclusive([' ', '-', '\'']).enumerate() {
        let sep_len = part
            .chars()
            .last()
            .filter(|c| " -'".contains(*c))
            .map_or(0, char::len_utf8);
        let (word, sep) = part.split_at(part.len() - sep_len);
        let is_particle = PARTICLES.contains(&word) || (sep == "'" && matches!(word, "d" | "l"));
        if i == 0 || !is_particle {
            out.push_str(&capitalise(word));
        } else {
            out.push_str(word);
        }
        out.push_str(sep);
    }
    out
}

/// « de » before a city, with the French elisions and contractions:
/// `de Dijon`, `d'Avignon`, `du Havre` (Le Havre), `des Sables-d'Olonne`.
pub fn de_city(city: &str) -> String {
    // `get` rather than slicing: a city never makes this panic.
    let after = |prefix: &str| {
        city.get(..prefix.len())
            .filter(|p| p.eq_ignore_ascii_case(prefix))
            .and_then(|_| city.get(prefix.len()..))
    };
    if let Some(rest) = after("le ") {
        return format!("du {rest}");
    }
    if let Some(rest) = after("les ") {
        return format!("des {rest}");
    }
    let starts_with_vowel = city
        .chars()
        .flat_map(char::to_lowercase)
        .next()
        .is_some_and(|c| "aeiouyàâäéèêëîïôöùûü".contains(c));
    if starts_with_vowel {
        format!("d'{city}")
    } else {
        format!("de {city}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_compare_without_case_dots_or_accents() {
        assert_eq!(form_key("S.A.R.L."), "SARL");
        assert_eq!(form_key("sas"), "SAS");
        assert_eq!(
            form_key("Société à responsabilité limitée"),
            "SOCIETEARESPONSABILITELIMITEE"
        );
    }

    #[test]
    fn cities_compare_without_cedex_or_arrondissement() {
        assert_eq!(city_key("PARIS CEDEX 08"), "paris");
        assert_eq!(city_key("Paris 15e"), "paris");
        assert_eq!(city_key("Lyon 1er"), "lyon");
        assert_eq!(city_key("Marseille 8ème arrondissement"), "marseille");
        assert_eq!(city_key("St-Brieuc"), "saint brieuc");
        assert_eq!(city_key("SAINT BRIEUC"), "saint brieuc");
        assert_eq!(city_key("Le Havre"), "le havre");
        // A number alone is not stripped from a one-word city.
        assert_eq!(city_key("75"), "75");
    }

    #[test]
    fn capitals_are_turned_into_a_written_name() {
        assert_eq!(city_display("DIJON CEDEX"), "Dijon");
        assert_eq!(city_display("BOULOGNE-SUR-MER"), "Boulogne-sur-Mer");
        assert_eq!(city_display("VILLENEUVE-D'ASCQ"), "Villeneuve-d'Ascq");
        assert_eq!(city_display("LE HAVRE"), "Le Havre");
        assert_eq!(
            city_display("  Châlons-en-Champagne "),
            "Châlons-en-Champagne"
        );
    }

    #[test]
    fn de_elides_and_contracts() {
        assert_eq!(de_city("Dijon"), "de Dijon");
        assert_eq!(de_city("Avignon"), "d'Avignon");
        assert_eq!(de_city("Auxerre"), "d'Auxerre");
        assert_eq!(de_city("Évry"), "d'Évry");
        assert_eq!(de_city("Le Havre"), "du Havre");
        assert_eq!(de_city("Le Mans"), "du Mans");
        assert_eq!(de_city("Les Sables-d'Olonne"), "des Sables-d'Olonne");
        assert_eq!(de_city("La Rochelle"), "de La Rochelle");
    }
}
