//! Rules for text that reaches a customer, whoever wrote it (a retailer, a supplier, a carrier).

/// The Unicode bidirectional embedding, override and isolate controls (U+202A–U+202E,
/// U+2066–U+2069). Text carrying them can show a customer something other than what it says
/// (`"Paris\u{202E}gnp.exe"`), so input holding them is refused and carrier text drops them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_are_the_embeddings_overrides_and_isolates() {
        let controls: Vec<char> = ('\u{2000}'..='\u{206F}')
            .filter(|c| is_bidi_control(*c))
            .collect();
        assert_eq!(
            controls,
            [
                '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
                '\u{2068}', '\u{2069}'
            ]
        );
        assert!(!is_bidi_control('a') && !is_bidi_control('\u{200F}'));
    }
}
