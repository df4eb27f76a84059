// Package nadra holds the domain types of nadra, a system for
// minerals-for-security deals: deposits and their resource estimates,
// commodities, control snapshots of the front line, and the access report
// that says how much of a country's mineral wealth lies behind that line.
//
// The root package has no dependencies on storage or transport. Pure logic
// lives in sibling packages (geo, supply, deal, montecarlo); storage in
// sqlite; the embedded default data and the file formats in dataset; and
// cmd/nadra wires them together.
package nadra
