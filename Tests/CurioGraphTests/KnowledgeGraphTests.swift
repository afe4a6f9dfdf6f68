import CurioCore
@testable import CurioGraph
import Testing

@Suite struct KnowledgeGraphTests {
    let g = SmallCollection.graph()

    func n(_ ref: String) throws -> NodeIndex { try g.resolve(ref) }

    @Test func buildsOneNodePerEntityAndDerivedTerm() throws {
        let s = g.stats()
        #expect(s.nodesByKind[.item] == 7)
        #expect(s.nodesByKind[.agent] == 4)
        #expect(s.nodesByKind[.subject] == 10)
        #expect(s.nodesByKind[.movement] == 1)
        #expect(s.nodesByKind[.era] == 1)
        // London, East Bergholt, Southampton, United Kingdom.
        #expect(s.nodesByKind[.place] == 4)
        // 1840s (c.1845 → 1840…1850, midpoint 1845), 1820s, 1870s, 1850s, 1890s; i6 has no date.
        #expect(s.nodesByKind[.decade] == 5)
        #expect(s.nodesByKind[.century] == 1)
        // oil paint, canvas, graphite, watercolour, paper, engraving.
        #expect(s.nodesByKind[.material] == 6)
        #expect(s.nodesByKind[.classification] == 3)
        #expect(s.nodes == 42)
        #expect(s.edges == s.edgesByRelation.values.reduce(0, +))
    }

    @Test func makerRolesChooseTheRelationAndKeepTheirProvenance() throws {
        let i7 = try n("i7"), turner = try n("agent:a:turner")
        #expect(!g.hasEdge(i7, .maker, turner))
        #expect(g.hasEdge(i7, .relatedMaker, turner))
        #expect(g.provenance(i7, .relatedMaker, turner) == "Item.makers[role=after]")
        #expect(g.provenance(try n("i1"), .maker, turner) == "Item.makers[role=artist]")
    }

    @Test func subjectHierarchyAndMovementErasAreEdges() throws {
        #expect(g.targets(of: try n("subject:s:sea"), .broader) == [try n("subject:s:seascapes")])
        #expect(g.targets(of: try n("subject:s:seascapes"), .broader) == [try n("subject:s:nature")])
        #expect(g.targets(of: try n("subject:s:nature"), .broader).isEmpty)
        #expect(Set(g.sources(of: try n("subject:s:nature"), .broader)) == [try n("s:seascapes"), try n("s:landscape")])
        #expect(g.targets(of: try n("movement:m:prb"), .era) == [try n("era:e:19c")])
        #expect(g.provenance(try n("m:prb"), .era, try n("e:19c")) == "Concept.broader")
    }

    @Test func periodsComeFromParsedDates() throws {
        let d1840 = try n("decade:1840")
        #expect(g.label(of: d1840) == "1840s")
        #expect(Set(g.sources(of: d1840, .decade)) == [try n("i1"), try n("i2")])
        let c19 = try n("century:19")
        #expect(g.label(of: c19) == "19th century")
        #expect(g.targets(of: d1840, .broader) == [c19])
        #expect(g.targets(of: try n("i6"), .decade).isEmpty)
        #expect(g.provenance(try n("i1"), .decade, d1840) == "Item.date")
    }

    @Test func placesLeadToTheirCountry() throws {
        let london = try n("place:london, united kingdom")
        let uk = try n("place:united kingdom")
        #expect(g.targets(of: london, .containedIn) == [uk])
        #expect(g.label(of: london) == "London, United Kingdom")
        let turner = try n("a:turner")
        #expect(g.targets(of: turner, .birthPlace) == [london])
        #expect(g.targets(of: turner, .activePlace) == [london])
        #expect(Set(g.sources(of: london, .birthPlace)) == [turner, try n("a:rossetti")])
    }

    @Test func mediumTextBecomesMaterialsAndSupports() throws {
        let i6 = try n("i6")
        #expect(Set(g.targets(of: i6, .medium).map { g.key(of: $0) }) == ["graphite", "watercolour"])
        #expect(g.targets(of: i6, .support).map { g.key(of: $0) } == ["paper"])
        #expect(g.targets(of: try n("i1"), .medium).map { g.key(of: $0) } == ["oil paint"])
        #expect(g.targets(of: try n("i1"), .support).map { g.key(of: $0) } == ["canvas"])
    }

    @Test func neighboursListTypedEdgesWithProvenance() throws {
        let turner = try n("a:turner")
        let made = g.neighbours(of: turner, relations: [.maker], direction: .incoming)
        #expect(made.map { g.key(of: $0.node) } == ["i1", "i2", "i6"])
        #expect(made.allSatisfy { $0.relationName == "made" && $0.provenance == "Item.makers[role=artist]" })
        let all = g.neighbours(of: try n("i4"))
        #expect(all.contains(Neighbour(relation: .about, direction: .outgoing, node: try n("s:woman"), provenance: "Item.subjects")))
        #expect(all.contains(Neighbour(relation: .movement, direction: .outgoing, node: try n("m:prb"), provenance: "Item.movements")))
        #expect(g.neighbours(of: try n("material:paper"), direction: .incoming, limit: 1).count == 1)
    }

    @Test func shortestPathIsTypedAndDeterministic() throws {
        let p = try g.shortestPath(from: try n("i4"), to: try n("i5"))
        #expect(p.length == 2)
        #expect(p.steps[0].relation == .about && p.steps[0].direction == .outgoing)
        #expect(p.nodes[1] == (try n("s:woman")))
        #expect(p.steps[1].direction == .incoming && p.steps[1].provenance == "Item.subjects")

        // Constable to Rossetti: Constable → i3 → river ← i5 … or via the UK: each is 3+ hops.
        let q = try g.shortestPath(from: try n("a:constable"), to: try n("a:rossetti"), relations: [.birthPlace, .containedIn])
        #expect(q.nodes.map { g.key(of: $0) } == ["a:constable", "east bergholt, united kingdom", "united kingdom",
                                                  "london, united kingdom", "a:rossetti"])
        #expect(q.steps.map(\.direction) == [.outgoing, .outgoing, .incoming, .incoming])
    }

    @Test func shortestPathRespectsHopLimitAndHubs() throws {
        #expect(throws: GraphError.self) {
            try g.shortestPath(from: try n("a:constable"), to: try n("a:rossetti"), maxHops: 3,
                               relations: [.birthPlace, .containedIn])
        }
        // Through the `painting` hub i1 and i4 are two hops apart; avoiding hubs forces a longer path.
        let viaHub = try g.shortestPath(from: try n("i1"), to: try n("i4"))
        #expect(viaHub.length == 2)
        // Every route from i1 to i4 passes through a node with more than 4 edges (items included).
        #expect(throws: GraphError.self) {
            try g.shortestPath(from: try n("i1"), to: try n("i4"), avoidingHubsAbove: 4)
        }
        let avoiding = try g.shortestPath(from: try n("i4"), to: try n("i5"), avoidingHubsAbove: 4)
        #expect(avoiding.length == 2)
        #expect(avoiding.nodes.dropFirst().dropLast().allSatisfy { g.degree(of: $0) <= 4 })
    }

    @Test func unknownReferencesAreReported() {
        #expect(throws: GraphError.self) { try g.resolve("nothing-here") }
        let message = String(describing: GraphError.unknownNode(id: "nothing-here"))
        #expect(message.contains("nothing-here"))
    }

    @Test func danglingReferencesStillGetNodesAndAreCounted() {
        let item = Item(id: "x1", source: "test", title: "Orphan",
                        makers: [MakerCredit(agent: "a:unknown", name: "Anon")], subjects: ["s:missing"])
        let (graph, report) = KnowledgeGraph.buildWithReport(items: [item], agents: [], concepts: [])
        #expect(report.danglingAgents == 1)
        #expect(report.danglingConcepts == 1)
        #expect(graph.label(of: graph.node(agent: "a:unknown")!) == "Anon")
        #expect(graph.node(concept: "s:missing") != nil)
    }

    @Test func builderRejectsEdgesBetweenWrongKinds() {
        var b = KnowledgeGraphBuilder()
        let item = b.node(.item, key: "x", label: "X")
        let place = b.node(.place, key: "p", label: "P")
        #expect(throws: GraphError.self) { try b.addEdge(item, .maker, place) }
    }
}

@Suite struct MediumNormalizerTests {
    @Test(arguments: [
        ("Oil paint on canvas", ["oil paint"], ["canvas"]),
        ("Photograph, gelatin silver print on paper", ["photograph", "gelatin silver print"], ["paper"]),
        ("Photograph, gelatine silver print on paper", ["photograph", "gelatin silver print"], ["paper"]),
        ("Watercolour, ink, chalk and graphite on paper. Verso: graphite on paper",
         ["watercolour", "ink", "chalk", "graphite"], ["paper"]),
        ("Bronze", ["bronze"], []),
        ("Oil on board", ["oil paint"], ["board"]),
        ("Acrylic paint and pencil on canvas", ["acrylic paint", "graphite"], ["canvas"]),
        ("Etching and engraving on paper\r\n\r\n", ["etching", "engraving"], ["paper"]),
        ("Line engraving on paper   \r\n", ["line engraving"], ["paper"]),
    ])
    func mediumTermsFollowTheDocumentedRules(text: String, media: [String], supports: [String]) {
        let t = MediumNormalizer.terms(text)
        #expect(t.media == media)
        #expect(t.supports == supports)
    }
}
