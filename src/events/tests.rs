//! Tests of the events stage on sentences written for them.
