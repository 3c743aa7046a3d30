/** The elfproef for BSNs is the domain's rule; re-exported under the name this package has always used. */
export { isValidBsn as isElfproefValid } from "@vi/domain";
