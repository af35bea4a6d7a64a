// Package cloudspot is a client for the Cloudspot ERP API (version 1).
//
// The ERP serves two kinds of callers, and the package has one type for each:
//
//   - a [UserAPI], made with [NewUserAPI], signs users of an external app in
//     with their ERP username and password ([UserAPI.Authenticate]), and
//     reads the permissions ([UserAPI.Permissions]) and the person
//     ([UserAPI.User]) behind a user token. [UserAPI.Session] wraps a token
//     kept from an earlier sign-in;
//   - a [CompanyAPI], made with [NewCompanyAPI], reads a company's products
//     ([Artikel], through CompanyAPI.Artikels) and clients ([Klant], through
//     CompanyAPI.Klanten) with an API token that an ERP administrator
//     generated for that company. List ([ArtikelService.List],
//     [KlantService.List]) returns a whole list; All ([ArtikelService.All],
//     [KlantService.All]) yields it one element at a time as it arrives, in
//     constant memory; [ArtikelService.Get] reads one product by id, and
//     CompanyAPI.Categorieen the product categories ([Categorie], a tree:
//     [CategorieService.List], [CategorieService.Get]).
//
// # API versions
//
// The ERP sends the bodies that the reference Python client reads;
// cloudspot-server calls them API version 0.4, and also speaks versions
// 0.5 and 0.6, which add keys. Every request asks for the richest bodies
// the server speaks (the header X-Cloudspot-API-Version: latest, which
// cloudspot-server honours and the ERP ignores). Version 0.5's keys are
// read into [Session].Company, [User].Company and [User].Pin; version
// 0.6's (a product's brand, categories, photos, prices per price category,
// EAN numbers and texts per language: see [Artikel]) into the Artikel's
// fields of that version. From a server that sends version 0.4's bodies
// these stay empty (the lists nil) and everything else works the same.
// Keys the package does not know are ignored, so a server that sends more
// never breaks it. A program that needs only version 0.4's fields can ask
// for less with [WithAPIVersion]("0.4"): a version 0.6 product is about
// three times the size.
//
// An Artikel encodes (MarshalJSON) to version 0.4's 14 keys, as the
// reference client expects, plus a key of version 0.6 only where it is
// set: see [Artikel.MarshalJSON].
//
// # Concurrency
//
// A UserAPI and a CompanyAPI hold configuration only and are safe for
// concurrent use: every call returns its results instead of keeping them, so
// one UserAPI serves every user of an app. A [Session] belongs to one user
// and is not safe for concurrent mutation. Every call takes a
// [context.Context] first; cancelling it ends the request and any wait
// between retries.
//
// # Options
//
// Both constructors take the same [Option] values, which validate their
// arguments so that a mistake fails the constructor rather than a call:
// [WithBaseURL] (another ERP, such as a self-hosted cloudspot-server),
// [WithTestMode] (a local ERP at [TestURL]), [WithHTTPClient] (your client
// is copied, never changed), [WithUserAgent], [WithRetries] (reads only,
// and none by default), [WithMaxResponseBytes], [WithInsecureHTTP] and
// [WithAPIVersion].
//
// # Errors
//
// A refused request is an [*Error] carrying the HTTP status, the request's
// method and path, and the ERP's message (or a description of what came
// back instead of JSON, such as "an HTML page titled ..."). Test its
// category with [errors.Is]: [ErrBadCredentials], [ErrNoValidToken],
// [ErrForbidden], [ErrNotFound], [ErrRateLimited] (wait, then try again),
// [ErrInsecure] and [ErrResponseTooLarge]; get the status and message with
// [errors.As]. A call that needs a token fails with ErrNoValidToken before
// anything is sent when the token is empty. Transport failures (no
// connection, a timeout, the context) are returned wrapped, so errors.Is
// finds [context.DeadlineExceeded] and errors.As a [*net.OpError].
//
// # Limits
//
// Every response is read up to [DefaultMaxResponseBytes] (1 GiB, about
// 1.7 million products); a larger one is [ErrResponseTooLarge], never
// memory exhaustion, and never a call that runs until its context ends.
// [WithMaxResponseBytes] sets another limit. All holds one element at a
// time (a single value may take up to 16 MiB), so its limit can be set far
// above memory for a list that large; it still ends.
// An error body is read up to 1 MiB. A list that announces a next page is
// an error rather than a silently short list.
//
// # Security
//
// Credentials go only where the caller sent them. A password or token is
// sent only to the base URL's origin (scheme, host and port): a redirect
// elsewhere, including from https to http, is not followed and fails with
// [ErrInsecure]; a sign-in is not followed through a redirect that would
// turn it into a GET. Plain http is allowed only to a host that surely is
// this machine (localhost, 127.0.0.0/8, ::1), unless [WithInsecureHTTP]
// says the network is trusted.
// Errors never show a password or token, even when a server echoes one.
//
// # Decoding
//
// Decoding is tolerant of what real servers send: unknown keys are ignored,
// null is "not set" (an unknown price stays unknown: [Decimal.Known]), and
// numbers may arrive as strings. A list that is null or absent stays nil,
// a null element in it is skipped, and a product's categories may come as
// ids alone. Money, VAT and
// quantities are exact [Decimal] values, a birth date is a [Date], and
// enumerations are typed strings that keep values the SDK does not know.
package cloudspot
