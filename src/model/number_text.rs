//! Numbers as a person reads them: floats in their shortest exact form with an exponent
//! when very small or very large (`21.5`, `1.2e-28`, never
//! `-0.0000000000000000000000000005265057978159249`), integers with their hex.

/// A float64 as text: the shortest form that reads back to the same value, in
/// scientific notation outside 0.0001 ≤ |v| < 10^15.
pub fn float_text(v: f64) -> String {
    if v == 0.0 || !v.is_finite() || (1e-4..1e15).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// A float32 as text, in its own shortest form (0.1, not 0.10000000149011612).
pub fn f32_text(v: f32) -> String {
    if v == 0.0 || !v.is_finite() || (1e-4..1e15).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// An integer with its bits in hex at the field's width: `1234 (0x04d2)`,
/// `-12 (0xfff4)` for an i16.
pub fn int_text(value: i128, width_bytes: usize) -> String {
    let bits = width_bytes.clamp(1, 16) * 8;
    let mask = if bits == 128 { u128::MAX } else { (1u128 << bits) - 1 };
    let raw = (value as u128) & mask;
    format!("{value} (0x{raw:0digits$x})", digits = width_bytes * 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_read_as_people_write_them() {
        assert_eq!(float_text(21.5), "21.5");
        assert_eq!(float_text(-60.0), "-60");
        assert_eq!(float_text(0.0), "0");
        assert_eq!(float_text(1013.25), "1013.25");
        assert_eq!(float_text(1.2e-28), "1.2e-28");
        assert_eq!(float_text(3e20), "3e20");
        assert_eq!(float_text(f64::NAN), "NaN");
        // The readout's ugly example: a float32 widened to f64, printed without exponent.
        let ugly = f32::from_le_bytes([0x3a, 0xdb, 0x26, 0x92]);
        assert_eq!(
            format!("{}", f64::from(ugly)),
            "-0.00000000000000000000000000052650581707522435"
        );
        assert_eq!(f32_text(ugly), "-5.265058e-28");
        assert_eq!(float_text(-5.265057978159249e-28), "-5.265057978159249e-28");
        assert_eq!(f32_text(0.1), "0.1");
        assert_eq!(f32_text(21.5), "21.5");
        assert_eq!(f32_text(0.0001), "0.0001");
        assert_eq!(f32_text(0.00001), "1e-5");
    }

    #[test]
    fn integers_carry_their_hex_at_the_field_width() {
        assert_eq!(int_text(1234, 2), "1234 (0x04d2)");
        assert_eq!(int_text(-12, 2), "-12 (0xfff4)");
        assert_eq!(int_text(-1, 1), "-1 (0xff)");
        assert_eq!(
            int_text(i128::from(u64::MAX), 8),
            "18446744073709551615 (0xffffffffffffffff)"
        );
        assert_eq!(
            int_text(i128::from(i64::MIN), 8),
            "-9223372036854775808 (0x8000000000000000)"
        );
    }
}
