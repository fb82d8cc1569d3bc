// Package market holds the rules of the marketplace: profiles, employers
// and their members, shifts, applications, offers, assignments, contracts,
// timesheets and screening. Each operation validates its input, checks who
// is asking, and changes the database in one transaction; the GraphQL
// resolvers only call it.
//
// Errors a user can act on are *Error values with a Code; anything else is
// an internal error.
package market
