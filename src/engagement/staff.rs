//! What only the hub's staff may read of a school's record: its RAG rating, its contact, the
//! other notes under `private:`, the notes on its activities and its location. Only `stave report` loads
//! these; a build's model never holds them (see [`super::load`]).

use chrono::NaiveDate;
use std::collections::HashMap;

/// A school's RAG rating, as the area team last reviewed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rag {
    Red,
    Amber,
    Green,
}

impl Rag {
    /// The ids `private: rag:` may hold, in the order of [`Rag`].
    pub const IDS: [&'static str; 3] = ["red", "amber", "green"];

    pub fn parse(id: &str) -> Option<Rag> {
        match id.to_ascii_lowercase().as_str() {
            "red" => Some(Rag::Red),
            "amber" => Some(Rag::Amber),
            "green" => Some(Rag::Green),
            _ => None,
        }
    }

    pub fn id(self) -> &'static str {
        Self::IDS[self as usize]
    }

    /// The colour's name and what it means, so that no reader depends on seeing the colour.
    pub fn status(self) -> &'static str {
        match self {
            Rag::Red => "Red: a priority for support",
            Rag::Amber => "Amber: some gaps to follow up",
            Rag::Green => "Green: engaging well",
        }
    }
}

/// One note on an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityNote {
    pub date: NaiveDate,
    /// Index into [`super::ACTIVITY_KINDS`].
    pub kind: usize,
    pub text: String,
}

/// The private part of one school's record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffNote {
    pub rag: Option<Rag>,
    pub contact: Option<String>,
    /// Other entries of `private:` (`key`, value as written), in the file's order.
    pub other: Vec<(String, String)>,
    /// Notes on activities, in the file's order.
    pub notes: Vec<ActivityNote>,
    /// Where the school is (`location:`).
    pub location: Option<Location>,
}

/// Where a school is, in British National Grid metres (GIAS's `Easting` and `Northing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub easting: u32,
    pub northing: u32,
}

/// Every school's private notes, by URN.
#[derive(Debug, Clone, Default)]
pub struct StaffNotes(pub HashMap<String, StaffNote>);

impl StaffNotes {
    pub fn of(&self, urn: &str) -> Option<&StaffNote> {
        self.0.get(urn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_read_in_any_case_and_say_what_they_mean() {
        assert_eq!(Rag::parse("Amber"), Some(Rag::Amber));
        assert_eq!(Rag::parse("orange"), None);
        assert_eq!(Rag::Red.id(), "red");
        assert!(Rag::Green.status().starts_with("Green: "));
    }
}
