//! The check-digit algorithms tracking numbers use. Inputs are normalised upper-case ASCII.

/// A check-digit rule, with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Checksum {
    /// No check digit: the pattern alone decides.
    None,
    /// Weighted sum mod 10; letters count as `(ASCII − 3) mod 10`. `evens`/`odds` weigh the
    /// 0-based even/odd positions, walked from the right when `reverse`.
    Mod10 {
        evens: u32,
        odds: u32,
        reverse: bool,
    },
    /// The serial read as a decimal number, mod 7.
    Mod7,
    /// UPU S10: weights 8,6,4,2,3,5,9,7, mod 11, with 0 → 5 and 1 → 0.
    S10,
    /// Σ digit × weight, then mod `modulo1`, then mod `modulo2`.
    SumProduct {
        weights: &'static [u32],
        modulo1: u32,
        modulo2: u32,
    },
    /// The Luhn algorithm over serial and check digit together.
    Luhn,
    /// ISO 7064 MOD 37,36 hybrid over the alphabet 0–9A–Z; the check may be a letter.
    Mod37_36,
}

impl Checksum {
    /// True when `check` is the right check character for `serial`.
    pub(crate) fn holds(self, serial: &[u8], check: u8) -> bool {
        match self {
            Checksum::None => true,
            Checksum::Mod10 {
                evens,
                odds,
                reverse,
            } => {
                let weigh =
                    |(i, &c): (usize, &u8)| value_mod10(c) * if i % 2 == 0 { evens } else { odds };
                let sum: u32 = if reverse {
                    serial.iter().rev().enumerate().map(weigh).sum()
                } else {
                    serial.iter().enumerate().map(weigh).sum()
                };
                digit(check) == Some((10 - sum % 10) % 10)
            }
            Checksum::Mod7 => {
                let rest = serial
                    .iter()
                    .try_fold(0u32, |acc, &c| Some((acc * 10 + digit(c)?) % 7));
                rest.is_some() && rest == digit(check)
            }
            Checksum::S10 => {
                const WEIGHTS: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
                if serial.len() != WEIGHTS.len() {
                    return false;
                }
                let sum = serial
                    .iter()
                    .zip(WEIGHTS)
                    .try_fold(0, |acc, (&c, w)| Some(acc + digit(c)? * w));
                let expected = sum.map(|sum| match 11 - sum % 11 {
                    11 => 5,
                    10 => 0,
                    n => n,
                });
                expected.is_some() && expected == digit(check)
            }
            Checksum::SumProduct {
                weights,
                modulo1,
                modulo2,
            } => {
                if serial.len() != weights.len() {
                    return false;
                }
                let sum = serial
                    .iter()
                    .zip(weights)
                    .try_fold(0, |acc, (&c, &w)| Some(acc + digit(c)? * w));
                sum.is_some_and(|sum| digit(check) == Some(sum % modulo1 % modulo2))
            }
            Checksum::Luhn => {
                let mut sum = match digit(check) {
                    Some(d) => d,
                    None => return false,
                };
                for (i, &c) in serial.iter().rev().enumerate() {
                    let Some(d) = digit(c) else { return false };
                    sum += if i % 2 == 0 {
                        (d * 2) / 10 + (d * 2) % 10
                    } else {
                        d
                    };
                }
                sum % 10 == 0
            }
            Checksum::Mod37_36 => {
                let mut p = 36;
                for &c in serial {
                    let Some(v) = value_36(c) else { return false };
                    p += v;
                    if p > 36 {
                        p -= 36;
                    }
                    p *= 2;
                    if p > 36 {
                        p -= 37;
                    }
                }
                let expected = (37 - p) % 36;
                value_36(check) == Some(expected)
            }
        }
    }

    /// True for rules that catch every change of a single digit. The others have known blind
    /// spots: a change of 5 under weight 2 (mod 10), of 7 (mod 7), or one that moves the sum
    /// between two remainders sharing a check digit (the mod-11 rules).
    pub(crate) fn catches_every_single_digit_change(self) -> bool {
        match self {
            Checksum::Mod10 { evens, odds, .. } => {
                [evens, odds].iter().all(|w| w % 2 != 0 && w % 5 != 0)
            }
            Checksum::Luhn | Checksum::Mod37_36 => true,
            Checksum::None | Checksum::Mod7 | Checksum::S10 | Checksum::SumProduct { .. } => false,
        }
    }
}

fn digit(c: u8) -> Option<u32> {
    c.is_ascii_digit().then(|| u32::from(c - b'0'))
}

fn value_mod10(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        _ => (u32::from(c) - 3) % 10,
    }
}

fn value_36(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_check_digits() {
        assert!(Checksum::S10.holds(b"12345678", b'5'));
        assert!(!Checksum::S10.holds(b"12345678", b'6'));
        assert!(Checksum::Luhn.holds(b"7992739871", b'3'));
        assert!(!Checksum::Luhn.holds(b"7992739871", b'4'));
        assert!(Checksum::Mod7.holds(b"1234567890", b'3'));
        let ups = Checksum::Mod10 {
            evens: 1,
            odds: 2,
            reverse: false,
        };
        assert!(ups.holds(b"5R8939035756712", b'7'));
    }

    #[test]
    fn weak_rules_are_flagged_with_a_real_blind_spot() {
        // UPS weighs odd positions by 2: changing a digit there by 5 moves the sum by 10.
        let ups = Checksum::Mod10 {
            evens: 1,
            odds: 2,
            reverse: false,
        };
        assert!(!ups.catches_every_single_digit_change());
        assert!(ups.holds(b"5R8939035756712", b'7'));
        assert!(
            ups.holds(b"5R8439035756712", b'7'),
            "position 3: 9 -> 4 goes unseen"
        );
        // Mod 7 cannot see a change of 7 in any digit.
        assert!(Checksum::Mod7.holds(b"1234567897", b'3'));
        assert!(
            Checksum::Mod10 {
                evens: 3,
                odds: 1,
                reverse: true
            }
            .catches_every_single_digit_change()
        );
    }
}
