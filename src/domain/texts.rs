//! Texts of law that documents quote word for word, each kept once with its source and the
//! date of the wording quoted. Templates render them from here; tests compare the rendered
//! letters with them, so the text in force is quoted in one place only.

/// A passage of a code quoted verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotedText {
    /// Which article, as cited in a sentence ("article L111-8 du Code des procédures civiles
    /// d'exécution").
    pub citation: &'static str,
    /// The paragraphs quoted, in order, without quotation marks.
    pub paragraphs: &'static [&'static str],
    /// The wording's origin and the date from which it is in force.
    pub version: &'static str,
    /// Where the text was read.
    pub source: &'static str,
}

/// CPCE L111-8, paragraphs 2 and 3, that the agency's first letter reproduces in full
/// (CPCE R124-4 5°). Paragraph 2 in the wording of the loi n° 2014-344 du 17 mars 2014
/// (« … prescrit par la loi au créancier »); the older wording (« Sauf s'ils concernent un
/// acte dont l'accomplissement est prescrit par la loi, les frais… ») is no longer in force.
pub const CPCE_L111_8_AL_2_3: QuotedText = QuotedText {
    citation: "article L111-8 du Code des procédures civiles d'exécution",
    paragraphs: &[
        "Les frais de recouvrement entrepris sans titre exécutoire restent à la charge du \
         créancier, sauf s'ils concernent un acte dont l'accomplissement est prescrit par la loi \
         au créancier. Toute stipulation contraire est réputée non écrite, sauf disposition \
         législative contraire.",
        "Cependant, le créancier qui justifie du caractère nécessaire des démarches entreprises \
         pour recouvrer sa créance peut demander au juge de l'exécution de laisser tout ou \
         partie des frais ainsi exposés à la charge du débiteur de mauvaise foi.",
    ],
    version:
        "rédaction issue de la loi n° 2014-344 du 17 mars 2014, en vigueur au 1er décembre 2026",
    source: "Légifrance, Code des procédures civiles d'exécution, version consolidée \
             (copie publique du code consolidé, lue le 1er décembre 2026)",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quoted_l111_8_is_the_wording_that_names_the_creditor() {
        let al2 = CPCE_L111_8_AL_2_3.paragraphs[0];
        assert!(al2.starts_with("Les frais de recouvrement entrepris sans titre exécutoire"));
        assert!(al2.contains("prescrit par la loi au créancier."));
        assert!(!al2.starts_with("Sauf s'ils concernent"));
        assert_eq!(CPCE_L111_8_AL_2_3.paragraphs.len(), 2);
    }
}
