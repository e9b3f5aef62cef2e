//! `--max-size 500MB`: a size as people type it.

/// Reads `500MB`, `1.5GB`, `64k`, `2MiB` or a bare number of bytes (units are powers of
/// 1000 for kB/MB/GB and of 1024 for KiB/MiB/GiB; `k`, `M`, `G` alone mean 1000s).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return Err(crate::tr!("rec-bad-size", text = text)),
    };
    let value: f64 = number.parse().map_err(|_| crate::tr!("rec-bad-size", text = text))?;
    let bytes = value * factor;
    if !bytes.is_finite() || !(1.0..=1e15).contains(&bytes) {
        return Err(crate::tr!("rec-bad-size", text = text));
    }
    Ok(bytes as u64)
}

/// A recording's size limit: a size of at least [`super::writer::MIN_MAX_SIZE`] (the
/// file, its WAL and their index need some room before the first message fits).
pub fn parse_limit(text: &str) -> Result<u64, String> {
    let bytes = parse_size(text)?;
    if bytes < super::writer::MIN_MAX_SIZE {
        let min = format!("{} MB", super::writer::MIN_MAX_SIZE / 1_000_000);
        return Err(crate::tr!("rec-size-too-small", text = text, min = min));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("2MiB"), Ok(2 * 1024 * 1024));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5 parsecs").is_err());
        assert!(parse_size("0").is_err());
    }

    #[test]
    fn a_size_limit_leaves_room_for_the_file_and_its_wal() {
        assert_eq!(parse_limit("100MB"), Ok(100_000_000));
        assert_eq!(parse_limit("1MB"), Ok(1_000_000));
        let e = parse_limit("64k").unwrap_err();
        assert!(e.contains("64k") && e.contains("1 MB"), "{e}");
        assert!(parse_limit("lots").is_err());
    }
}
