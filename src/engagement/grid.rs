//! British National Grid: which coordinate system a boundary file is in, and longitude and
//! latitude (WGS84) turned into the Grid's eastings and northings, so that the boundaries and
//! the schools' locations are drawn on one plane.

use proj4rs::Proj;

/// EPSG:27700 with the OS's published seven-parameter shift from WGS84 (good to a few metres,
/// far below what a map of a hub's area shows).
const BNG: &str = "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy \
+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs";
const WGS84: &str = "+proj=longlat +datum=WGS84 +no_defs";

/// The coordinate systems a boundary file may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crs {
    /// Longitude and latitude in degrees (GeoJSON's own, RFC 7946).
    Wgs84,
    /// Eastings and northings in metres.
    Bng,
}

/// The system a GeoJSON `crs` member names (`urn:ogc:def:crs:EPSG::27700`), if one Stave
/// reads; `Err` with the name if it is another.
pub fn named_crs(name: &str) -> Result<Crs, String> {
    let n = name.to_ascii_uppercase();
    let code = n.rsplit([':', '/']).next().unwrap_or_default();
    match code {
        "27700" => Ok(Crs::Bng),
        "4326" | "CRS84" | "4258" => Ok(Crs::Wgs84),
        _ => Err(name.to_string()),
    }
}

/// Whether a point can be in each system: longitude and latitude, or a place on the Grid
/// (which covers Great Britain from 0 to 700 km east and 1,300 km north).
pub fn fits(crs: Crs, x: f64, y: f64) -> bool {
    match crs {
        Crs::Wgs84 => (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y),
        Crs::Bng => (-100_000.0..=800_000.0).contains(&x) && (-100_000.0..=1_400_000.0).contains(&y),
    }
}

/// Turns WGS84 degrees into Grid metres.
pub struct ToGrid {
    from: Proj,
    to: Proj,
}

impl Default for ToGrid {
    fn default() -> ToGrid {
        let proj = |s: &str| Proj::from_proj_string(s).expect("the built-in projection strings are valid");
        ToGrid { from: proj(WGS84), to: proj(BNG) }
    }
}

impl ToGrid {
    /// Easting and northing of a longitude and latitude, or None if it cannot be projected.
    pub fn grid(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        let (x, y) = proj4rs::adaptors::transform_xy(&self.from, &self.to, lon.to_radians(), lat.to_radians()).ok()?;
        (x.is_finite() && y.is_finite()).then_some((x, y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_points_land_where_proj_puts_them() {
        // PROJ (pyproj 3.7, EPSG:4326 to EPSG:27700 without grid files, the same Helmert
        // shift) puts these at the eastings and northings given, to the millimetre.
        let g = ToGrid::default();
        for (lon, lat, e, n) in [
            (1.0 + 43.0 / 60.0 + 4.5177 / 3600.0, 52.0 + 39.0 / 60.0 + 27.2531 / 3600.0, 651_538.641, 313_138.404),
            (-0.1276, 51.5072, 530_043.195, 180_358.209),
            (-3.1883, 55.9533, 325_897.218, 674_001.202),
        ] {
            let (x, y) = g.grid(lon, lat).unwrap();
            assert!((x - e).abs() < 0.5 && (y - n).abs() < 0.5, "{lon} {lat}: {x} {y}");
        }
    }

    #[test]
    fn names_of_systems_are_read() {
        assert_eq!(named_crs("urn:ogc:def:crs:EPSG::27700"), Ok(Crs::Bng));
        assert_eq!(named_crs("urn:ogc:def:crs:OGC:1.3:CRS84"), Ok(Crs::Wgs84));
        assert_eq!(named_crs("EPSG:4326"), Ok(Crs::Wgs84));
        assert!(named_crs("urn:ogc:def:crs:EPSG::3857").is_err());
        assert!(fits(Crs::Bng, 530_000.0, 180_000.0) && !fits(Crs::Wgs84, 530_000.0, 180_000.0));
        assert!(!fits(Crs::Bng, -13_000.0, 6_700_000.0));
    }
}
