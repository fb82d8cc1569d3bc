package market

// widenable is an ent query that can read whole rows again after a Select
// narrowed it (ent/template/columns.tmpl).
type widenable[Q any] interface{ AllColumns() Q }

// forDisplay lets the GraphQL layer add to q the eager loading of what the
// client will display (collect), then widens q back to whole rows: entgql's
// field collection also narrows a query to the columns the client selected,
// and the market's rules compute on every column of the rows it loads,
// whatever the client asked for.
func forDisplay[Q widenable[Q]](q Q, collect func(Q) (Q, error)) (Q, error) {
	if collect == nil {
		return q, nil
	}
	q, err := collect(q)
	if err != nil {
		return q, err
	}
	return q.AllColumns(), nil
}
