//! Courses: Czech-language courses by CEFR level, conversation, courses for
//! children, vocational Czech, sociocultural orientation and the
//! adaptation-integration course "Vítejte v České republice".

pub mod holidays;
pub mod recurrence;
