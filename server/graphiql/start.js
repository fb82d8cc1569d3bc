// Starts GraphiQL on /graphql. Sign in with the first tab's mutation, then
// put {"Authorization": "Bearer <accessToken>"} in the Headers pane.
const defaultQuery = `# Sign in as a demo worker (or owner@cafe-linde.demo, the employer),
# then put {"Authorization": "Bearer <accessToken>"} in Headers below.
mutation SignIn {
  signIn(input: {email: "worker1@demo.flexwork", password: "flexwork-demo"}) {
    accessToken
    user { id displayName }
  }
}

# Shifts near Alexanderplatz, with whether you may take them and why not.
query Feed {
  shiftFeed(near: {lat: 52.5219, lng: 13.4132}, radiusKm: 15, first: 10) {
    edges {
      distanceKm
      eligibility { eligible failedRules { rule message } }
      node { id title startsAt pay { amount currency } employer { name } }
    }
  }
}
`;
const root = ReactDOM.createRoot(document.getElementById("graphiql"));
root.render(React.createElement(GraphiQL, {
  fetcher: GraphiQL.createFetcher({ url: "/graphql" }),
  defaultQuery,
  defaultEditorToolsVisibility: true,
}));
